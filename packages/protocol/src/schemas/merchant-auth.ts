import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.js';

/** 12 to 128 characters; the relay also refuses common and breached passwords. */
export const MerchantPassword = Type.String({ minLength: 12, maxLength: 128 });

const LoginEmail = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });

export const TotpCode = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code of the authenticator app',
});
export const RecoveryCode = Type.String({
  pattern: '^[A-Za-z2-7]{4}(-?[A-Za-z2-7]{4}){4}$',
  description: 'One of the 10 recovery codes shown at 2FA enrolment; each works once',
});

export const SignupRequest = Type.Object(
  {
    email: LoginEmail,
    password: MerchantPassword,
    businessName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type SignupRequest = Static<typeof SignupRequest>;

/** Signup answers the same for every address: the next step is in the mail. */
export const SignupAccepted = Type.Object({
  status: Type.Literal('verification_sent'),
  message: Type.String(),
});
export type SignupAccepted = Static<typeof SignupAccepted>;

export const SignupVerifyRequest = Type.Object(
  {
    token: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: 'The verification token from the signup mail; works once, within 1 hour',
    }),
  },
  { additionalProperties: false },
);
export type SignupVerifyRequest = Static<typeof SignupVerifyRequest>;

export const LoginRequest = Type.Object(
  {
    email: LoginEmail,
    // Any length is accepted at login so the answer never reveals the policy of an account.
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totpCode: Type.Optional(TotpCode),
    recoveryCode: Type.Optional(RecoveryCode),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const ReauthenticateRequest = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 1024 }), totpCode: Type.Optional(TotpCode) },
  { additionalProperties: false },
);
export type ReauthenticateRequest = Static<typeof ReauthenticateRequest>;

export const ChangePasswordRequest = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: MerchantPassword },
  { additionalProperties: false },
);
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;

/** Proof of the second factor now, to turn 2FA off or replace the recovery codes: one of the two. */
export const SecondFactorRequest = Type.Object(
  { totpCode: Type.Optional(TotpCode), recoveryCode: Type.Optional(RecoveryCode) },
  { additionalProperties: false },
);
export type SecondFactorRequest = Static<typeof SecondFactorRequest>;

export const TotpConfirmRequest = Type.Object({ code: TotpCode }, { additionalProperties: false });
export type TotpConfirmRequest = Static<typeof TotpConfirmRequest>;

export const SessionModeRequest = Type.Object({ livemode: Type.Boolean() }, { additionalProperties: false });
export type SessionModeRequest = Static<typeof SessionModeRequest>;

export const MerchantSession = Type.Object({
  tenantId: Uuid,
  user: Type.Object({
    id: Uuid,
    email: Type.String(),
    role: Type.String(),
    twoFactorEnabled: Type.Boolean(),
  }),
  livemode: Type.Boolean(),
  twoFactorVerified: Type.Boolean(),
  csrfToken: Type.String({ description: 'Send it back as X-CSRF-Token on every state-changing request' }),
  idleExpiresAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type MerchantSession = Static<typeof MerchantSession>;

export const TotpEnrolment = Type.Object({
  secret: Type.String({ description: 'Base32; shown once' }),
  otpauthUri: Type.String(),
  qrCodeDataUrl: Type.String({ description: 'A PNG data: URL of the otpauth URI' }),
});
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { minItems: 10, maxItems: 10, description: 'Shown once' }),
});
export type RecoveryCodes = Static<typeof RecoveryCodes>;

export const ApiKeyScope = Type.Union([
  Type.Literal('transactions:read'),
  Type.Literal('contacts:read'),
  Type.Literal('refunds:write'),
]);
export type ApiKeyScope = Static<typeof ApiKeyScope>;

export const CreateApiKeyRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ApiKeyScope, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>;

export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  livemode: Type.Boolean(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  scopes: Type.Array(ApiKeyScope),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKey>;

export const CreatedApiKey = Type.Composite([
  ApiKey,
  Type.Object({
    secret: Type.String({ description: 'opp_test_... or opp_live_...; shown once, never again' }),
  }),
]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

export const ApiKeyList = Type.Object({ data: Type.Array(ApiKey) });
export type ApiKeyList = Static<typeof ApiKeyList>;

const Role = Type.Union([Type.Literal('owner'), Type.Literal('member')]);

/** A user of the tenant as owners see them: no password hash, no TOTP secret. */
export const TeamMember = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  role: Role,
  twoFactorEnabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TeamMember = Static<typeof TeamMember>;

export const TeamMemberList = Type.Object({ data: Type.Array(TeamMember) });
export type TeamMemberList = Static<typeof TeamMemberList>;

export const ChangeRoleRequest = Type.Object({ role: Role }, { additionalProperties: false });
export type ChangeRoleRequest = Static<typeof ChangeRoleRequest>;

export const InviteTeamMemberRequest = Type.Object(
  { email: LoginEmail, role: Role },
  { additionalProperties: false },
);
export type InviteTeamMemberRequest = Static<typeof InviteTeamMemberRequest>;

/** An invitation not yet accepted: its link went to `email` by mail and works once, until `expiresAt`. */
export const TeamInvitation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  role: Role,
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type TeamInvitation = Static<typeof TeamInvitation>;

export const TeamInvitationList = Type.Object({ data: Type.Array(TeamInvitation) });
export type TeamInvitationList = Static<typeof TeamInvitationList>;

export const AcceptInvitationRequest = Type.Object(
  {
    token: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: 'The token from the invitation mail; works once, within 72 hours',
    }),
    password: MerchantPassword,
  },
  { additionalProperties: false },
);
export type AcceptInvitationRequest = Static<typeof AcceptInvitationRequest>;
