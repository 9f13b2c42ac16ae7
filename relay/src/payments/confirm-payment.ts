import type Stripe from 'stripe';
import type { ConfirmPaymentRequest, PaymentResult } from '@onepagepay/protocol';
import { SETTLED_STATUSES, type Transaction } from '../db/models/transaction.js';
import { sqlSessionOf } from '../db/sql-session.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { PaymentDeps } from './payment-deps.js';
import { resultOrThrow } from './create-payment.js';
import { chargeFailure, isUnansweredStripeError } from './stripe-failures.js';
import { statusFromPaymentIntent } from './transaction-status.js';
import { findOwnPayment } from './own-payment.js';
import { applyStatusChange } from './transaction-store.js';

/**
 * Finishes a payment after the browser handled Stripe's next action (3-D Secure). The attempt id
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

  const stripe = deps.stripe.clientFor(transaction.livemode);
  const requestOptions = tenant.stripeAccountId ? { stripeAccount: tenant.stripeAccountId } : {};
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.retrieve(transaction.providerPaymentId, {}, requestOptions);
    if (intent.status === 'requires_confirmation') {
      intent = await stripe.paymentIntents.confirm(
        intent.id,
        {},
        { ...requestOptions, idempotencyKey: `opp_confirm_${tenant.id}_${request.attemptId}` },
      );
    }
  } catch (error) {
    if (isUnansweredStripeError(error)) {
      throw new RelayError(
        'provider_unavailable',
        'The payment provider is not answering. Try again shortly.',
      );
    }
    const failure = chargeFailure(error as Stripe.errors.StripeError);
    const { transaction: failed } = await inTenantTransaction(deps.knex, scopeOf(transaction), (trx) =>
      applyStatusChange(sqlSessionOf(trx), transaction, failure),
    );
    return resultOrThrow(failed);
  }
  const lastError = intent.last_payment_error;
  const { transaction: recorded } = await inTenantTransaction(deps.knex, scopeOf(transaction), (trx) =>
    applyStatusChange(sqlSessionOf(trx), transaction, {
      status: statusFromPaymentIntent(intent),
      ...(lastError
        ? {
            failureCode: lastError.code ?? 'payment_failed',
            declineCode: lastError.decline_code ?? null,
            failureMessage: lastError.message ?? 'The payment failed.',
          }
        : {}),
    }),
  );
  return resultOrThrow(
    recorded,
    recorded.status === 'requires_action' ? (intent.client_secret ?? undefined) : undefined,
  );
}

function scopeOf(transaction: Transaction) {
  return { tenantId: transaction.tenantId, livemode: transaction.livemode };
}
