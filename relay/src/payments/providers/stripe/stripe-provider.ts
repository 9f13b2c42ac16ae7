import type Stripe from 'stripe';
import { isDataError } from '../../../errors.js';
import type { PaymentDeps } from '../../payment-deps.js';
import type { PaymentProvider, WebhookOutcome } from '../payment-provider.js';
import { handleStripeEvent } from './handle-stripe-event.js';
import { refundWithStripe } from './refund-with-stripe.js';
import { stripeCardPayments } from './stripe-card-payments.js';
import { sweepStripe } from './sweep-stripe.js';
import { verifyStripeEvent } from './verify-stripe-event.js';

/** Stripe: cards through PaymentIntents, refunds, signed webhooks, its balance as health probe. */
export const stripeProvider: PaymentProvider = {
  name: 'stripe',
  label: 'Stripe',
  card: stripeCardPayments,
  publicConfig({ stripe }, tenant, livemode) {
    const keys = stripe.keysFor(livemode);
    return keys ? { publishableKey: keys.publishableKey, accountId: tenant.stripeAccountId } : null;
  },
  refund: refundWithStripe,
  async receiveWebhook(deps, raw, header) {
    const event = verifyStripeEvent(deps.stripe, raw, header('Stripe-Signature'));
    return applyOrAcknowledge(deps, event);
  },
  probe({ stripe }) {
    const account = stripe.configuredModes().at(-1);
    // Reported down, not left out, without keys: the SDK holds a form whose provider is down, so
    // the payer learns before typing a card that cannot be charged.
    return account
      ? () => account.client.balance.retrieve()
      : () => Promise.reject(new Error('not configured'));
  },
  sweep: sweepStripe,
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
