import type Stripe from 'stripe';
import { isDataError } from '../../../errors.js';
import type { PaymentDeps } from '../../payment-deps.js';
import type { PaymentProvider, WebhookOutcome } from '../payment-provider.js';
import { handleStripeEvent } from './handle-stripe-event.js';
import { refundWithStripe } from './refund-with-stripe.js';
import { stripeCardPayments } from './stripe-card-payments.js';
import { verifyStripeEvent } from './verify-stripe-event.js';

/** Stripe: cards through PaymentIntents, refunds, and signed webhooks. */
export const stripeProvider: PaymentProvider = {
  name: 'stripe',
  card: stripeCardPayments,
  refund: refundWithStripe,
  async receiveWebhook(deps, raw, header) {
    const event = verifyStripeEvent(deps.stripe, raw, header('Stripe-Signature'));
    return applyOrAcknowledge(deps, event);
  },
};

/**
 * Stripe retries every non-2xx answer for days. An event whose own data the database refuses (a
 * malformed id in metadata a connected account wrote) fails the same way on every retry, so it is
 * acknowledged as ignored and logged; only failures that a retry could cure answer 5xx.
 */
async function applyOrAcknowledge(deps: PaymentDeps, event: Stripe.Event): Promise<WebhookOutcome> {
  try {
    return await handleStripeEvent(deps, event);
  } catch (error) {
    if (!isDataError(error)) throw error;
    deps.logger.error({ err: error, eventId: event.id, type: event.type }, 'webhook data refused: ignored');
    return 'ignored';
  }
}
