import type { Knex } from 'knex';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import { recordAuditEvent, type Actor } from './audit.js';
import type { LoginThrottle } from './login-throttle.js';
import { burnVerification, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import {
  createSession,
  REAUTH_WINDOW_MS,
  revokeUserSessions,
  rotateSession,
  type ActiveSession,
} from './sessions.js';
import { acceptTotp, describeEnrolment, hashRecoveryCode, newRecoveryCodes, newTotpSecret } from './totp.js';
import { findLoginCandidate, findUser, type MerchantUser } from './users.js';

export interface AccountDeps {
  knex: Knex;
  throttle: LoginThrottle;
  now: () => Date;
  totpIssuer: string;
  /** Seals TOTP secrets at rest when ONEPAGEPAY_ENCRYPTION_KEYS is set. */
  cipher?: SecretCipher;
}

export interface SecretCipher {
  readonly configured: boolean;
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const totpContext = (user: MerchantUser) => `totp:${user.tenant_id}:${user.id}`;

/** TOTP secrets are sealed (AES-256-GCM, bound to the user) when keys are configured. */
function sealTotpSecret(deps: AccountDeps, user: MerchantUser, secret: string): string {
  return deps.cipher?.configured ? deps.cipher.seal(secret, totpContext(user)) : secret;
}

function openTotpSecret(deps: AccountDeps, user: MerchantUser, stored: string): string {
  return stored.startsWith('v1.') && deps.cipher ? deps.cipher.open(stored, totpContext(user)) : stored;
}

type Client = Pick<Actor, 'ip' | 'userAgent'>;

const WRONG_CREDENTIALS = 'The email, password or two-factor code is wrong.';

/**
 * Password sign-in (with the TOTP or a recovery code when the account has 2FA). Every failure
 * gives the same answer whether or not the account exists, and counts against the email and IP.
 */
export async function logIn(
  deps: AccountDeps,
  input: { email: string; password: string; totpCode?: string; recoveryCode?: string },
  client: Client,
): Promise<{ token: string; user: MerchantUser }> {
  const ip = client.ip ?? 'unknown';
  await deps.throttle.assertAllowed(input.email, ip);
  const candidate = await findLoginCandidate(deps.knex, input.email);
  if (!candidate) {
    await burnVerification(input.password);
    await deps.throttle.recordFailure(input.email, ip);
    throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  }
  const scope = { tenantId: candidate.tenant_id, livemode: false };
  const result = await inTenantTransaction(deps.knex, scope, async (trx) => {
    const user = await findUser(trx, candidate.tenant_id, candidate.user_id);
    if (!user) return { ok: false as const, reason: 'missing' };
    if (!(await verifyPassword(user.password_hash, input.password)))
      return { ok: false as const, reason: 'password', user };
    let mfaVerified = false;
    if (user.totp_enabled_at) {
      const second = await checkSecondFactor(deps, trx, user, input);
      if (!second) return { ok: false as const, reason: 'second_factor', user };
      mfaVerified = true;
    }
    const { token } = await createSession(
      trx,
      { tenantId: user.tenant_id, userId: user.id, mfaVerified, ip: client.ip, userAgent: client.userAgent },
      deps.now(),
    );
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: 'login.succeeded',
        accountLevel: true,
        details: { twoFactor: mfaVerified },
      },
    );
    return { ok: true as const, token, user };
  });
  if (!result.ok) {
    await deps.throttle.recordFailure(input.email, ip);
    if (result.user) {
      await inTenantTransaction(deps.knex, scope, (trx) =>
        recordAuditEvent(
          trx,
          scope,
          { type: 'anonymous', id: null, ...client },
          {
            action: 'login.failed',
            outcome: 'failure',
            accountLevel: true,
            target: result.user.id,
            details: { reason: result.reason },
          },
        ),
      );
    }
    throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  }
  await deps.throttle.recordSuccess(input.email);
  return { token: result.token, user: result.user };
}

/** A TOTP code (never reused: its time step must be newer than the last) or an unused recovery code. */
async function checkSecondFactor(
  deps: AccountDeps,
  trx: Knex.Transaction,
  user: MerchantUser,
  input: { totpCode?: string | undefined; recoveryCode?: string | undefined },
): Promise<boolean> {
  if (input.totpCode && user.totp_secret) {
    const last = user.totp_last_step === null ? null : Number(user.totp_last_step);
    const step = await acceptTotp(openTotpSecret(deps, user, user.totp_secret), input.totpCode, last);
    if (step === null) return false;
    const updated = await trx('merchant_users')
      .where({ tenant_id: user.tenant_id, id: user.id })
      .where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
      .update({ totp_last_step: step });
    return updated === 1;
  }
  if (input.recoveryCode) {
    const used = await trx('merchant_recovery_codes')
      .where({ tenant_id: user.tenant_id, user_id: user.id, code_hash: hashRecoveryCode(input.recoveryCode) })
      .whereNull('used_at')
      .update({ used_at: trx.fn.now() });
    return used === 1;
  }
  return false;
}

/** Confirms the password (and TOTP, with 2FA on) again before a sensitive change. */
export async function reauthenticate(
  deps: AccountDeps,
  active: ActiveSession,
  input: { password: string; totpCode?: string },
  client: Client,
): Promise<void> {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  const ip = client.ip ?? 'unknown';
  await deps.throttle.assertAllowed(user.email, ip);
  const ok = await inTenantTransaction(deps.knex, scope, async (trx) => {
    const fresh = await findUser(trx, user.tenant_id, user.id);
    if (!fresh || !(await verifyPassword(fresh.password_hash, input.password))) return false;
    if (fresh.totp_enabled_at && !(await checkSecondFactor(deps, trx, fresh, input))) return false;
    await trx('merchant_sessions')
      .where({ tenant_id: user.tenant_id, id: active.session.id })
      .update({ reauthenticated_at: deps.now() });
    return true;
  });
  if (!ok) {
    await deps.throttle.recordFailure(user.email, ip);
    throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  }
}

export function assertRecentlyReauthenticated(deps: AccountDeps, active: ActiveSession): void {
  const at = new Date(active.session.reauthenticated_at).getTime();
  if (deps.now().getTime() - at > REAUTH_WINDOW_MS) {
    throw new RelayError(
      'reauthentication_required',
      'Confirm your password first (POST /v1/merchant/reauthenticate); it is valid for 5 minutes.',
    );
  }
}

/** Changes the password, ends every session of the user and opens a fresh one for this client. */
export async function changePassword(
  deps: AccountDeps,
  active: ActiveSession,
  input: { currentPassword: string; newPassword: string },
  client: Client,
): Promise<{ token: string }> {
  const user = active.user;
  checkPasswordPolicy(input.newPassword, { email: user.email });
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await deps.throttle.recordFailure(user.email, client.ip ?? 'unknown');
    throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const now = deps.now();
    await trx('merchant_users')
      .where({ tenant_id: user.tenant_id, id: user.id })
      .update({ password_hash: passwordHash, password_changed_at: now, updated_at: now });
    await revokeUserSessions(trx, user.tenant_id, user.id, now);
    const { token } = await createSession(
      trx,
      {
        tenantId: user.tenant_id,
        userId: user.id,
        mfaVerified: Boolean(active.session.mfa_verified_at),
        ...client,
      },
      now,
    );
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: 'user.password_changed',
        accountLevel: true,
      },
    );
    return { token };
  });
}

/** Starts 2FA enrolment: a pending secret, shown once as text, otpauth URI and QR code. */
export async function beginTotpEnrolment(deps: AccountDeps, active: ActiveSession) {
  const secret = newTotpSecret();
  await inTenantTransaction(deps.knex, { tenantId: active.user.tenant_id, livemode: false }, (trx) =>
    trx('merchant_users')
      .where({ tenant_id: active.user.tenant_id, id: active.user.id })
      .update({ pending_totp_secret: sealTotpSecret(deps, active.user, secret) }),
  );
  return describeEnrolment(secret, deps.totpIssuer, active.user.email);
}

/**
 * Confirms enrolment with a code from the app: 2FA is on, ten recovery codes are issued (shown
 * once), every other session ends and this one steps up with a new token.
 */
export async function confirmTotpEnrolment(
  deps: AccountDeps,
  active: ActiveSession,
  code: string,
  client: Client,
): Promise<{ token: string; recoveryCodes: string[] }> {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const fresh = await findUser(trx, user.tenant_id, user.id);
    const secret = fresh?.pending_totp_secret
      ? openTotpSecret(deps, fresh, fresh.pending_totp_secret)
      : undefined;
    const step = secret ? await acceptTotp(secret, code, null) : null;
    if (!fresh || !secret || step === null) {
      throw new RelayError(
        'unauthorized',
        'That code does not match the new authenticator entry. Try the next code.',
      );
    }
    const now = deps.now();
    await trx('merchant_users').where({ tenant_id: user.tenant_id, id: user.id }).update({
      totp_secret: fresh.pending_totp_secret,
      pending_totp_secret: null,
      totp_enabled_at: now,
      totp_last_step: step,
      updated_at: now,
    });
    const recoveryCodes = await replaceRecoveryCodes(trx, fresh);
    await revokeUserSessions(trx, user.tenant_id, user.id, now);
    const { token } = await rotateSession(trx, active.session, { mfaVerified: true }, now);
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: 'two_factor.enabled',
        accountLevel: true,
      },
    );
    return { token, recoveryCodes };
  });
}

/** Turns 2FA off (after re-authentication); every session ends, this one continues in test mode. */
export async function disableTotp(
  deps: AccountDeps,
  active: ActiveSession,
  client: Client,
): Promise<{ token: string }> {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const now = deps.now();
    await trx('merchant_users').where({ tenant_id: user.tenant_id, id: user.id }).update({
      totp_secret: null,
      pending_totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      updated_at: now,
    });
    await trx('merchant_recovery_codes').where({ tenant_id: user.tenant_id, user_id: user.id }).delete();
    await revokeUserSessions(trx, user.tenant_id, user.id, now);
    const { token } = await rotateSession(
      trx,
      { ...active.session, mfa_verified_at: null },
      { livemode: false },
      now,
    );
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: 'two_factor.disabled',
        accountLevel: true,
      },
    );
    return { token };
  });
}

export async function regenerateRecoveryCodes(deps: AccountDeps, active: ActiveSession, client: Client) {
  const user = active.user;
  if (!user.totp_enabled_at)
    throw new RelayError('invalid_request', 'Turn on two-factor authentication first.');
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const codes = await replaceRecoveryCodes(trx, user);
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: 'two_factor.recovery_codes_regenerated',
        accountLevel: true,
      },
    );
    return codes;
  });
}

async function replaceRecoveryCodes(trx: Knex.Transaction, user: MerchantUser): Promise<string[]> {
  const codes = newRecoveryCodes(10);
  await trx('merchant_recovery_codes').where({ tenant_id: user.tenant_id, user_id: user.id }).delete();
  await trx('merchant_recovery_codes').insert(
    codes.map((code) => ({ tenant_id: user.tenant_id, user_id: user.id, code_hash: hashRecoveryCode(code) })),
  );
  return codes;
}

/** Switches the session between test and live data; live needs a 2FA-verified session. */
export async function switchMode(
  deps: AccountDeps,
  active: ActiveSession,
  livemode: boolean,
  client: Client,
): Promise<{ token: string }> {
  if (livemode && !active.session.mfa_verified_at) {
    throw new RelayError(
      'mfa_required',
      'Live mode needs two-factor authentication: enrol, or sign in with your code.',
    );
  }
  const scope = { tenantId: active.user.tenant_id, livemode };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const { token } = await rotateSession(trx, active.session, { livemode }, deps.now());
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: active.user.id, ...client },
      {
        action: livemode ? 'session.live_mode_entered' : 'session.test_mode_entered',
        accountLevel: true,
      },
    );
    return { token };
  });
}

export async function logOut(deps: AccountDeps, active: ActiveSession, everywhere: boolean, client: Client) {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  await inTenantTransaction(deps.knex, scope, async (trx) => {
    const now = deps.now();
    if (everywhere) await revokeUserSessions(trx, user.tenant_id, user.id, now);
    else
      await trx('merchant_sessions')
        .where({ tenant_id: user.tenant_id, id: active.session.id })
        .update({ revoked_at: now });
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      {
        action: everywhere ? 'session.logged_out_everywhere' : 'session.logged_out',
        accountLevel: true,
      },
    );
  });
}
