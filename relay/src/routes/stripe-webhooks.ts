import Router from '@koa/router';
import { readRawBody } from '../http/read-body.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import type Stripe from 'stripe';
import { isDataError } from '../errors.js';
import { handleStripeEvent, type WebhookOutcome } from '../webhooks/handle-stripe-event.js';
import { verifyStripeEvent } from '../webhooks/verify-stripe-event.js';

const MAX_WEBHOOK_BYTES = 512 * 1024;

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

export function stripeWebhookRoutes(deps: PaymentDeps): Router {
  const router = new Router();
  router.post('/v1/webhooks/stripe', async (ctx) => {
    // The signature covers the exact bytes, so the body is read raw and parsed only after verifying.
    const raw = await readRawBody(ctx, MAX_WEBHOOK_BYTES);
    const event = verifyStripeEvent(deps.stripe, raw, ctx.get('Stripe-Signature'));
    ctx.body = { received: true, outcome: await applyOrAcknowledge(deps, event) };
  });
  return router;
}
