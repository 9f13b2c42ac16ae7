import type Stripe from 'stripe';
import type { Transaction } from '../../../db/models/transaction.js';
import type { PaymentDeps } from '../../payment-deps.js';
import type { StatusChange } from '../../transaction-store.js';

export interface RefundFailure {
  refund: Stripe.Refund;
  /** What the charge has refunded now that the refund failed: read from Stripe, never subtracted. */
  amountRefunded: number;
}

/**
 * A failed refund (`refund.failed`, and the `refund.updated` that comes with it) gives the money
 * back to the merchant. What stays refunded is read from the charge at Stripe, so the two events of
 * one failure, or an event replayed, land on the same total.
 */
export async function refundFailureOf(
  deps: Pick<PaymentDeps, 'knex' | 'stripe' | 'logger'>,
  event: Stripe.Event,
): Promise<RefundFailure | undefined> {
  if (event.type !== 'refund.failed' && event.type !== 'refund.updated') return undefined;
  const refund = event.data.object as Stripe.Refund;
  if (refund.status !== 'failed' || typeof refund.charge !== 'string') return undefined;
  const charge = await deps.stripe
    .clientFor(event.livemode)
    .charges.retrieve(refund.charge, {}, event.account ? { stripeAccount: event.account } : {});
  return { refund, amountRefunded: charge.amount_refunded };
}

export function afterFailedRefund(failure: RefundFailure, transaction: Transaction): StatusChange {
  const refunded = failure.amountRefunded;
  return {
    status: refunded >= transaction.amount ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'succeeded',
    amountRefunded: refunded,
    refundFailed: true,
  };
}
