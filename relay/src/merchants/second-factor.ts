import type { Knex } from 'knex';
import { RelayError } from '../errors.js';
import type { AccountDeps } from './account.js';
import { acceptTotp, hashRecoveryCode } from './totp.js';
import { openTotpSecret } from './totp-secrets.js';
import type { MerchantUser } from './users.js';

export interface SecondFactorProof {
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
}

/** A TOTP code (never reused: its time step must be newer than the last) or an unused recovery code. */
export async function checkSecondFactor(
  deps: Pick<AccountDeps, 'throttle' | 'cipher'>,
  trx: Knex.Transaction,
  user: MerchantUser,
  input: SecondFactorProof,
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

/**
 * Proves the user holds the second factor now (a fresh TOTP code or an unused recovery code) before
 * 2FA is turned off or its recovery codes replaced: a stolen session alone cannot do either.
 * Counted per user, like a password re-check.
 */
export async function assertCurrentSecondFactor(
  deps: Pick<AccountDeps, 'throttle' | 'cipher'>,
  trx: Knex.Transaction,
  user: MerchantUser,
  input: SecondFactorProof,
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
