import type { Knex } from 'knex';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { AccountDeps, Client } from './account.js';
import { assertCurrentSecondFactor, type SecondFactorProof } from './second-factor.js';
import { recordAuditEvent } from './audit.js';
import { revokeUserSessions, rotateSession, type ActiveSession } from './sessions.js';
import { acceptTotp, describeEnrolment, hashRecoveryCode, newRecoveryCodes, newTotpSecret } from './totp.js';
import { openTotpSecret, sealTotpSecret } from './totp-secrets.js';
import { findUser, type MerchantUser } from './users.js';

/**
 * Starts 2FA enrolment: a pending secret, shown once as text, otpauth URI and QR code. Refused
 * while 2FA is on (turning it off first needs a current code), so a session alone can never swap
 * the owner's authenticator for another; refused without an encryption key to seal the secret.
 */
export async function beginTotpEnrolment(deps: AccountDeps, active: ActiveSession) {
  // A TOTP secret is a password equivalent: it is only ever stored sealed, never in plain text.
  if (!deps.cipher?.configured) {
    throw new RelayError(
      'encryption_not_configured',
      'Two-factor enrolment needs ONEPAGEPAY_ENCRYPTION_KEYS on the relay (make a key with: openssl rand -base64 32).',
    );
  }
  const secret = newTotpSecret();
  const sealed = sealTotpSecret(deps, active.user, secret);
  const updated = await inTenantTransaction(
    deps.knex,
    { tenantId: active.user.tenant_id, livemode: false },
    (trx) =>
      trx('merchant_users')
        .where({ tenant_id: active.user.tenant_id, id: active.user.id })
        .whereNull('totp_enabled_at')
        .update({ pending_totp_secret: sealed }),
  );
  if (updated !== 1) throw alreadyEnabled();
  return describeEnrolment(secret, deps.totpIssuer, active.user.email);
}

function alreadyEnabled(): RelayError {
  return new RelayError(
    'conflict',
    'Two-factor authentication is already on. Turn it off first (with a current code), then enrol again.',
  );
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
    if (fresh?.totp_enabled_at) throw alreadyEnabled();
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

/**
 * Turns 2FA off (after re-authentication and with a current code); every session ends, this one
 * continues in test mode.
 */
export async function disableTotp(
  deps: AccountDeps,
  active: ActiveSession,
  proof: SecondFactorProof,
  client: Client,
): Promise<{ token: string }> {
  const user = active.user;
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    await assertCurrentSecondFactor(deps, trx, await freshUser(trx, user), proof);
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

/** New recovery codes (the old ones stop working), with a current code as proof. */
export async function regenerateRecoveryCodes(
  deps: AccountDeps,
  active: ActiveSession,
  proof: SecondFactorProof,
  client: Client,
) {
  const user = active.user;
  if (!user.totp_enabled_at)
    throw new RelayError('invalid_request', 'Turn on two-factor authentication first.');
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    await assertCurrentSecondFactor(deps, trx, await freshUser(trx, user), proof);
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

/** The user as stored now: the TOTP step and 2FA state must not come from the session's copy. */
async function freshUser(trx: Knex.Transaction, user: MerchantUser): Promise<MerchantUser> {
  const fresh = await findUser(trx, user.tenant_id, user.id);
  if (!fresh) throw new RelayError('unauthorized', 'The session ended.');
  return fresh;
}

async function replaceRecoveryCodes(trx: Knex.Transaction, user: MerchantUser): Promise<string[]> {
  const codes = newRecoveryCodes(10);
  await trx('merchant_recovery_codes').where({ tenant_id: user.tenant_id, user_id: user.id }).delete();
  await trx('merchant_recovery_codes').insert(
    codes.map((code) => ({ tenant_id: user.tenant_id, user_id: user.id, code_hash: hashRecoveryCode(code) })),
  );
  return codes;
}
