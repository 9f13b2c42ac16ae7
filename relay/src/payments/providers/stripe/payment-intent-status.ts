import type Stripe from 'stripe';
import type { PaymentStatus } from '@onepagepay/protocol';

/** What a PaymentIntent's state means for our transaction. */
export function statusFromPaymentIntent(intent: Stripe.PaymentIntent): PaymentStatus {
  switch (intent.status) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_action';
    case 'requires_payment_method':
      return intent.last_payment_error ? 'failed' : 'processing';
    case 'canceled':
      return 'failed';
    default:
      return 'processing';
  }
}
