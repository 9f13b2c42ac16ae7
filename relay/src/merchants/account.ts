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
import { acceptTotp, hashRecoveryCode } from './totp.js';
import { findLoginCandidate, findUser, type MerchantUser } from './users.js';
import { openTotpSecret, type SecretCipher } from './totp-secrets.js';

export type { SecretCipher };

export interface AccountDeps {
  knex: Knex;
  throttle: LoginThrottle;
  now: () => Date;
  totpIssuer: string;
  /** Seals TOTP secrets at rest when ONEPAGEPAY_ENCRYPTION_KEYS is set. */
  cipher?: SecretCipher;
}

export type Client = Pick<Actor, 'ip' | 'userAgent'>;

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
  const attempt = await deps.throttle.beginSignIn(input.email, client.ip ?? 'unknown');
  const candidate = await findLoginCandidate(deps.knex, input.email);
  if (!candidate) {
    await burnVerification(input.password);
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
  await attempt.succeeded();
  return { token: result.token, user: result.user };
}

/**
 * The first session of a verified signup. Opening the mailed link proves the mailbox, not the
 * password, so the session counts as re-authenticated only from when the password was typed.
 */
export async function startSignupSession(
  deps: AccountDeps,
  user: MerchantUser,
  passwordCheckedAt: Date,
  client: Client,
): Promise<{ token: string }> {
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const { token } = await createSession(
      trx,
      {
        tenantId: user.tenant_id,
        userId: user.id,
        mfaVerified: false,
        ip: client.ip,
        userAgent: client.userAgent,
        reauthenticatedAt: passwordCheckedAt,
      },
      deps.now(),
    );
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      { action: 'login.succeeded', accountLevel: true, details: { signupVerified: true } },
    );
    return { token };
  });
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
): Promise<void> {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  const attempt = await deps.throttle.beginCredentialCheck(user.id);
  const ok = await inTenantTransaction(deps.knex, scope, async (trx) => {
    const fresh = await findUser(trx, user.tenant_id, user.id);
    if (!fresh || !(await verifyPassword(fresh.password_hash, input.password))) return false;
    if (fresh.totp_enabled_at && !(await checkSecondFactor(deps, trx, fresh, input))) return false;
    // The only place, with sign-in and password change, that proves the password: nothing else
    // (session rotation, mode switch, 2FA step-up) may move this time forward.
    await trx('merchant_sessions')
      .where({ tenant_id: user.tenant_id, id: active.session.id })
      .update({ reauthenticated_at: deps.now() });
    return true;
  });
  if (!ok) throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  await attempt.succeeded();
}

/**
 * Proves the user holds the second factor now (a fresh TOTP code or an unused recovery code) before
 * 2FA is turned off or its recovery codes replaced: a stolen session alone cannot do either.
 * Counted per user, like a password re-check.
 */
export async function assertCurrentSecondFactor(
  deps: AccountDeps,
  trx: Knex.Transaction,
  user: MerchantUser,
  input: { totpCode?: string | undefined; recoveryCode?: string | undefined },
): Promise<void> {
  const attempt = await deps.throttle.beginCredentialCheck(user.id);
  if (!user.totp_enabled_at || !(await checkSecondFactor(deps, trx, user, input))) {
    throw new RelayError(
      'unauthorized',
      'Send a current code from your authenticator app (totpCode) or an unused recovery code.',
    );
  }
  await attempt.succeeded();
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
  // Counted per user, not per email: guesses from a session must not lock the owner's sign-in.
  const attempt = await deps.throttle.beginCredentialCheck(user.id);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new RelayError('unauthorized', WRONG_CREDENTIALS);
  }
  await attempt.succeeded();
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
