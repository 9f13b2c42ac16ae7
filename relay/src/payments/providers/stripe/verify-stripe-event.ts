import type Stripe from 'stripe';
import type { StripeAccounts } from './stripe-accounts.js';
import { RelayError } from '../../../errors.js';

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies Stripe's signature over the exact raw bytes with each configured mode's secret. The
 * event must also claim the mode whose secret signed it, so a test endpoint can never move live data.
 */
export function verifyStripeEvent(
  stripe: StripeAccounts,
  rawBody: Buffer,
  signature: string,
  now: () => number = Date.now,
): Stripe.Event {
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
        undefined,
        now(),
      );
    } catch {
      continue;
    }
    refuseFutureTimestamp(signature, now());
    if (event.livemode !== livemode) {
      throw new RelayError('webhook_signature_invalid', 'The event mode does not match the signing secret.');
    }
    return event;
  }
  throw new RelayError('webhook_signature_invalid', 'The webhook signature does not verify.');
}

/**
 * Stripe's tolerance is the largest difference allowed between the signed timestamp and now, but
 * stripe-node checks only the past: a signature stamped ahead of time would stay replayable until
 * its stamp plus the tolerance. Reads `t` the way stripe-node's parser does (the last `t=` wins).
 */
function refuseFutureTimestamp(signature: string, nowMs: number): void {
  let timestamp = -1;
  for (const item of signature.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = parseInt(value ?? '', 10);
  }
  if (timestamp - Math.floor(nowMs / 1000) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new RelayError(
      'webhook_signature_invalid',
      'The webhook timestamp is in the future beyond the tolerance: check this server clock (NTP).',
    );
  }
}
