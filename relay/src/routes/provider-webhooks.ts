import Router from '@koa/router';
import { readRawBody } from '../http/read-body.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { PAYMENT_PROVIDERS } from '../payments/providers/index.js';

const MAX_WEBHOOK_BYTES = 512 * 1024;

/**
 * `POST /v1/webhooks/<provider>` for every provider. The signature covers the exact bytes, so the
 * body is read raw and each provider verifies it before parsing.
 */
export function providerWebhookRoutes(deps: PaymentDeps): Router {
  const router = new Router();
  for (const provider of PAYMENT_PROVIDERS) {
    router.post(`/v1/webhooks/${provider.name}`, async (ctx) => {
      const raw = await readRawBody(ctx, MAX_WEBHOOK_BYTES);
      const outcome = await provider.receiveWebhook(deps, raw, (name) => ctx.get(name));
      ctx.body = { received: true, outcome };
    });
  }
  return router;
}
