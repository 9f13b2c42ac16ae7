import type { Knex } from 'knex';
import type { CreateRefundRequest } from '@onepagepay/protocol';
import type { ProviderClients } from '../payment-deps.js';
import { providerNamed } from './index.js';

/** One refund the merchant asked for, as every provider needs it. */
export interface ProviderRefundRequest {
  tenantId: string;
  livemode: boolean;
  transactionId: string;
  /** Our refund row's id: the provider's idempotency key derives from it, so a retry is one refund. */
  refundId: string;
  /** The provider's payment: a Stripe PaymentIntent, a PayPal capture. */
  providerPaymentId: string;
  amount: number;
  currency: string;
  reason?: CreateRefundRequest['reason'];
}

export interface ProviderRefund {
  id: string;
  status: 'succeeded' | 'failed';
}

export interface RefundDeps extends ProviderClients {
  knex: Knex;
}

/**
 * Refunds through the transaction's provider. A provider's refusal (a 4xx answer) throws an error
 * with `statusCode`; no answer throws without one, so the caller keeps the refund pending.
 */
export function refundAtProvider(
  deps: RefundDeps,
  provider: string,
  request: ProviderRefundRequest,
): Promise<ProviderRefund> {
  return providerNamed(provider).refund(deps, request);
}
