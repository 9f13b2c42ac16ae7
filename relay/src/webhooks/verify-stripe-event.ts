import type Stripe from 'stripe';
import type { StripeAccounts } from '../payments/stripe-accounts.js';
import { RelayError } from '../errors.js';

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies Stripe's signature over the exact raw bytes with each configured mode's secret. The
 * event must also claim the mode whose secret signed it, so a test endpoint can never move live data.
 */
export function verifyStripeEvent(stripe: StripeAccounts, rawBody: Buffer, signature: string): Stripe.Event {
  if (!signature)
    throw new RelayError('webhook_signature_invalid', 'The Stripe-Signature header is missing.');
  for (const { livemode, client, keys } of stripe.configuredModes()) {
    if (!keys.webhookSecret) continue;
    let event: Stripe.Event;
    try {
      event = client.webhooks.constructEvent(
        rawBody,
        signature,
        keys.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch {
      continue;
    }
    if (event.livemode !== livemode) {
      throw new RelayError('webhook_signature_invalid', 'The event mode does not match the signing secret.');
    }
    return event;
  }
  throw new RelayError('webhook_signature_invalid', 'The webhook signature does not verify.');
}
