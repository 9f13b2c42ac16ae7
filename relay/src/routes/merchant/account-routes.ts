import Router from '@koa/router';
import type { Context } from 'koa';
import {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  ChangeRoleRequest,
  CreateApiKeyRequest,
  InviteTeamMemberRequest,
  LoginRequest,
  ReauthenticateRequest,
  SecondFactorRequest,
  SessionModeRequest,
  SignupRequest,
  SignupVerifyRequest,
  TotpConfirmRequest,
  type MerchantSession,
  type SignupAccepted,
} from '@onepagepay/protocol';
import { RelayError } from '../../errors.js';
import { readJsonBody } from '../../http/read-body.js';
import {
  acceptInvitation,
  inviteTeamMember,
  listInvitations,
  revokeInvitation,
} from '../../merchants/invitations.js';
import { changeRole, listTeam } from '../../merchants/team.js';
import {
  assertRecentlyReauthenticated,
  changePassword,
  logIn,
  logOut,
  reauthenticate,
  switchMode,
  type AccountDeps,
} from '../../merchants/account.js';
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  regenerateRecoveryCodes,
} from '../../merchants/two-factor.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../merchants/api-keys.js';
import {
  clearedSessionCookie,
  resolveSession,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  sessionCookie,
} from '../../merchants/sessions.js';
import { requestSignup, startSignupSession, verifySignup, type SignupDeps } from '../../merchants/signup.js';
import {
  assertAllowedOrigin,
  callerOf,
  requestActor,
  requireMerchant,
  type MerchantAuthDeps,
} from './merchant-auth.js';

/** Signup, sign-in, 2FA, sessions and API keys: the merchant's account, used with a session cookie. */
export function accountRoutes(deps: AccountDeps & SignupDeps & MerchantAuthDeps): Router {
  const router = new Router({ prefix: '/v1/merchant' });
  const session = requireMerchant(deps, { sessionOnly: true });
  const ownerSession = requireMerchant(deps, { sessionOnly: true, ownerOnly: true });

  /** Sets the rotated cookie and answers with what the dashboard needs, CSRF token included. */
  const answerWithSession = async (ctx: Context, token: string, extra: Record<string, unknown> = {}) => {
    const active = await resolveSession(deps.knex, token, deps.now());
    if (!active) throw new RelayError('unauthorized', 'The session ended.');
    const expiresAt = new Date(active.session.expires_at);
    ctx.set(
      'Set-Cookie',
      sessionCookie(token, Math.min(SESSION_ABSOLUTE_MS, expiresAt.getTime() - deps.now().getTime())),
    );
    ctx.set('Cache-Control', 'no-store');
    const body: MerchantSession = {
      tenantId: active.user.tenant_id,
      user: {
        id: active.user.id,
        email: active.user.email,
        role: active.user.role,
        twoFactorEnabled: Boolean(active.user.totp_enabled_at),
      },
      livemode: active.session.livemode,
      twoFactorVerified: Boolean(active.session.mfa_verified_at),
      csrfToken: active.csrfToken,
      idleExpiresAt: new Date(deps.now().getTime() + SESSION_IDLE_MS).toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    ctx.body = { ...body, ...extra };
  };

  router.post('/signup', async (ctx) => {
    assertAllowedOrigin(ctx, deps);
    const input = await readJsonBody(ctx, SignupRequest);
    await requestSignup(deps, input, requestActor(ctx));
    ctx.status = 202;
    const body: SignupAccepted = {
      status: 'verification_sent',
      message: 'Check your inbox: the next step is in the mail we sent. The link works for 1 hour.',
    };
    ctx.body = body;
  });

  router.post('/signup/verify', async (ctx) => {
    assertAllowedOrigin(ctx, deps);
    const input = await readJsonBody(ctx, SignupVerifyRequest);
    const client = requestActor(ctx);
    const { user, passwordCheckedAt } = await verifySignup(deps, input.token, client);
    const { token } = await startSignupSession(deps, user, passwordCheckedAt, client);
    await answerWithSession(ctx, token);
    ctx.status = 201;
  });

  router.post('/login', async (ctx) => {
    assertAllowedOrigin(ctx, deps);
    const input = await readJsonBody(ctx, LoginRequest);
    const { token } = await logIn(deps, input, requestActor(ctx));
    await answerWithSession(ctx, token);
  });

  router.get('/session', session, async (ctx) => {
    const caller = callerOf(ctx);
    await answerWithSession(ctx, caller.session!.token);
  });

  router.post('/logout', session, async (ctx) => {
    await logOut(deps, callerOf(ctx).session!, false, requestActor(ctx));
    ctx.set('Set-Cookie', clearedSessionCookie());
    ctx.status = 204;
  });

  router.post('/logout-everywhere', session, async (ctx) => {
    await logOut(deps, callerOf(ctx).session!, true, requestActor(ctx));
    ctx.set('Set-Cookie', clearedSessionCookie());
    ctx.status = 204;
  });

  router.post('/reauthenticate', session, async (ctx) => {
    const input = await readJsonBody(ctx, ReauthenticateRequest);
    const active = callerOf(ctx).session!;
    await reauthenticate(deps, active, input);
    await answerWithSession(ctx, active.token);
  });

  router.post('/mode', session, async (ctx) => {
    const input = await readJsonBody(ctx, SessionModeRequest);
    const { token } = await switchMode(deps, callerOf(ctx).session!, input.livemode, requestActor(ctx));
    await answerWithSession(ctx, token);
  });

  router.post('/password', session, async (ctx) => {
    const input = await readJsonBody(ctx, ChangePasswordRequest);
    const { token } = await changePassword(deps, callerOf(ctx).session!, input, requestActor(ctx));
    await answerWithSession(ctx, token);
  });

  router.post('/two-factor/setup', session, async (ctx) => {
    const active = callerOf(ctx).session!;
    assertRecentlyReauthenticated(deps, active);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await beginTotpEnrolment(deps, active);
  });

  router.post('/two-factor/confirm', session, async (ctx) => {
    const input = await readJsonBody(ctx, TotpConfirmRequest);
    const active = callerOf(ctx).session!;
    assertRecentlyReauthenticated(deps, active);
    const { token, recoveryCodes } = await confirmTotpEnrolment(deps, active, input.code, requestActor(ctx));
    await answerWithSession(ctx, token, { recoveryCodes });
  });

  router.post('/two-factor/disable', session, async (ctx) => {
    const active = callerOf(ctx).session!;
    assertRecentlyReauthenticated(deps, active);
    const proof = await readSecondFactor(ctx);
    const { token } = await disableTotp(deps, active, proof, requestActor(ctx));
    await answerWithSession(ctx, token);
  });

  router.post('/two-factor/recovery-codes', session, async (ctx) => {
    const active = callerOf(ctx).session!;
    assertRecentlyReauthenticated(deps, active);
    const proof = await readSecondFactor(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { recoveryCodes: await regenerateRecoveryCodes(deps, active, proof, requestActor(ctx)) };
  });

  router.get('/api-keys', ownerSession, async (ctx) => {
    ctx.body = { data: await listApiKeys(deps.knex, callerOf(ctx).scope) };
  });

  router.post('/api-keys', ownerSession, async (ctx) => {
    const caller = callerOf(ctx);
    assertRecentlyReauthenticated(deps, caller.session!);
    const input = await readJsonBody(ctx, CreateApiKeyRequest);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await createApiKey(
      deps.knex,
      caller.scope,
      { name: input.name, scopes: input.scopes, createdBy: caller.actor.id },
      caller.actor,
    );
  });

  router.post('/api-keys/:id/revoke', ownerSession, async (ctx) => {
    const caller = callerOf(ctx);
    assertRecentlyReauthenticated(deps, caller.session!);
    ctx.body = await revokeApiKey(deps.knex, caller.scope, String(ctx.params.id), caller.actor);
  });

  router.get('/team', ownerSession, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await listTeam(deps.knex, callerOf(ctx).scope) };
  });

  router.post('/team/:id/role', ownerSession, async (ctx) => {
    const caller = callerOf(ctx);
    // A new owner can refund and mint API keys: ask for the password, as for keys.
    assertRecentlyReauthenticated(deps, caller.session!);
    const input = await readJsonBody(ctx, ChangeRoleRequest);
    ctx.body = await changeRole(deps.knex, caller.scope, String(ctx.params.id), input.role, caller.actor);
  });

  router.get('/team/invitations', ownerSession, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await listInvitations(deps, callerOf(ctx).scope) };
  });

  router.post('/team/invitations', ownerSession, async (ctx) => {
    const caller = callerOf(ctx);
    // An invited owner can refund and mint API keys: ask for the password, as for a role change.
    assertRecentlyReauthenticated(deps, caller.session!);
    const input = await readJsonBody(ctx, InviteTeamMemberRequest);
    ctx.status = 201;
    ctx.body = await inviteTeamMember(deps, caller.scope, input, caller.actor);
  });

  router.post('/team/invitations/:id/revoke', ownerSession, async (ctx) => {
    const caller = callerOf(ctx);
    await revokeInvitation(deps, caller.scope, String(ctx.params.id), caller.actor);
    ctx.status = 204;
  });

  router.post('/invitations/accept', async (ctx) => {
    assertAllowedOrigin(ctx, deps);
    const input = await readJsonBody(ctx, AcceptInvitationRequest);
    const { token } = await acceptInvitation(deps, input, requestActor(ctx));
    await answerWithSession(ctx, token);
    ctx.status = 201;
  });

  return router;
}

async function readSecondFactor(ctx: Context): Promise<SecondFactorRequest> {
  const proof = await readJsonBody(ctx, SecondFactorRequest);
  if (!proof.totpCode && !proof.recoveryCode) {
    throw new RelayError(
      'invalid_request',
      'Send totpCode (from your authenticator app) or recoveryCode: turning 2FA off or replacing recovery codes needs one.',
    );
  }
  return proof;
}
