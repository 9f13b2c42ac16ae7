import type { Knex } from 'knex';
import type { StripeAccounts } from './stripe-accounts.js';
import type { ProviderRefund, ProviderRefundRequest } from '../refund-at-provider.js';

/** A Stripe refund of the PaymentIntent, on the tenant's connected account if it has one. */
export async function refundWithStripe(
  deps: { knex: Knex; stripe: StripeAccounts },
  request: ProviderRefundRequest,
): Promise<ProviderRefund> {
  const tenant = await deps.knex('tenants').where({ id: request.tenantId }).first('stripe_account_id');
  const refund = await deps.stripe.clientFor(request.livemode).refunds.create(
    {
      payment_intent: request.providerPaymentId,
      amount: request.amount,
      ...(request.reason ? { reason: request.reason } : {}),
      metadata: { onepagepay_refund_id: request.refundId, onepagepay_transaction_id: request.transactionId },
    },
    {
      idempotencyKey: `opp_re_${request.tenantId}_${request.refundId}`,
      ...(tenant?.stripe_account_id ? { stripeAccount: tenant.stripe_account_id as string } : {}),
    },
  );
  return { id: refund.id, status: refund.status === 'failed' ? 'failed' : 'succeeded' };
}
