import Router from '@koa/router';
import { readRawBody } from '../http/read-body.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { handleStripeEvent } from '../webhooks/handle-stripe-event.js';
import { verifyStripeEvent } from '../webhooks/verify-stripe-event.js';

const MAX_WEBHOOK_BYTES = 512 * 1024;

export function stripeWebhookRoutes(deps: PaymentDeps): Router {
  const router = new Router();
  router.post('/v1/webhooks/stripe', async (ctx) => {
    // The signature covers the exact bytes, so the body is read raw and parsed only after verifying.
    const raw = await readRawBody(ctx, MAX_WEBHOOK_BYTES);
    const event = verifyStripeEvent(deps.stripe, raw, ctx.get('Stripe-Signature'));
    const outcome = await handleStripeEvent(deps, event);
    ctx.body = { received: true, outcome };
  });
  return router;
}
