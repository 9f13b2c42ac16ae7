import type { ConfirmPaymentRequest, PaymentResult } from '@onepagepay/protocol';
import { SETTLED_STATUSES, type Transaction } from '../db/models/transaction.js';
import { sqlSessionOf } from '../db/sql-session.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { PaymentDeps } from './payment-deps.js';
import { resultOrThrow } from './create-payment.js';
import { providerNamed } from './providers/index.js';
import { ProviderUnansweredError, type ChargeOutcome } from './providers/payment-provider.js';
import { findOwnPayment } from './own-payment.js';
import { applyStatusChange } from './transaction-store.js';

/**
 * Finishes a payment after the browser handled the provider's next action (3-D Secure). The attempt id
 * identifies the caller's own payment (see findOwnPayment).
 */
export async function confirmPayment(
  deps: PaymentDeps,
  transactionId: string,
  request: ConfirmPaymentRequest,
  origin: string,
): Promise<PaymentResult> {
  const { tenant, transaction } = await findOwnPayment(deps.knex, transactionId, request, origin);
  if (SETTLED_STATUSES.has(transaction.status) || !transaction.providerPaymentId)
    return resultOrThrow(transaction);

  const card = providerNamed(transaction.provider).card;
  if (!card) return resultOrThrow(transaction);
  let outcome: ChargeOutcome;
  try {
    outcome = await card.confirm(deps, tenant, transaction, request.attemptId);
  } catch (error) {
    if (!(error instanceof ProviderUnansweredError)) throw error;
    throw new RelayError('provider_unavailable', 'The payment provider is not answering. Try again shortly.');
  }
  const { transaction: recorded } = await inTenantTransaction(deps.knex, scopeOf(transaction), (trx) =>
    applyStatusChange(sqlSessionOf(trx), transaction, outcome.change),
  );
  return resultOrThrow(recorded, recorded.status === 'requires_action' ? outcome.clientSecret : undefined);
}

function scopeOf(transaction: Transaction) {
  return { tenantId: transaction.tenantId, livemode: transaction.livemode };
}
