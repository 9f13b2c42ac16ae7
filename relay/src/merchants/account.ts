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
import { checkSecondFactor } from './second-factor.js';
import { findLoginCandidate, findUser, type MerchantUser } from './users.js';
import type { SecretCipher } from './totp-secrets.js';

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

export function assertRecentlyReauthenticated(deps: Pick<AccountDeps, 'now'>, active: ActiveSession): void {
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
