import type { Knex } from 'knex';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { AccountDeps, Client } from './account.js';
import { recordAuditEvent } from './audit.js';
import { revokeUserSessions, rotateSession, type ActiveSession } from './sessions.js';
import { acceptTotp, describeEnrolment, hashRecoveryCode, newRecoveryCodes, newTotpSecret } from './totp.js';
import { openTotpSecret, sealTotpSecret } from './totp-secrets.js';
import { findUser, type MerchantUser } from './users.js';

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
