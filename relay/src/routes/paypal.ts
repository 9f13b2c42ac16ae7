import Router from '@koa/router';
import { CapturePayPalOrderRequest, CreatePayPalOrderRequest } from '@onepagepay/protocol';
import { notFound } from '../errors.js';
import { publicCors, type OriginDirectory } from '../http/cors.js';
import { rateLimitPerIp } from '../http/rate-limit.js';
import { readJsonBody } from '../http/read-body.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { capturePayPalOrder } from '../payments/providers/paypal/capture-paypal-order.js';
import { createPayPalOrder } from '../payments/providers/paypal/create-paypal-order.js';

const ORDER_ID = /^[A-Z0-9]{1,64}$/;

export interface PayPalRouteDeps extends PaymentDeps {
  origins: OriginDirectory;
  rateLimits: { paymentsPerMinute: number };
}

/** The PayPal Buttons' two calls: create the order, capture it once approved (webhooks: provider-webhooks.ts). */
export function paypalRoutes(deps: PayPalRouteDeps): Router {
  const router = new Router({ prefix: '/v1' });
  const cors = publicCors(deps.origins);
  const payments = rateLimitPerIp('payments', deps.rateLimits.paymentsPerMinute);

  router.options('/paypal/orders', cors);
  router.post('/paypal/orders', cors, payments, async (ctx) => {
    const request = await readJsonBody(ctx, CreatePayPalOrderRequest);
    ctx.body = await createPayPalOrder(deps, request, ctx.get('Origin'));
  });

  router.options('/paypal/orders/:id/capture', cors);
  router.post('/paypal/orders/:id/capture', cors, payments, async (ctx) => {
    const orderId = String(ctx.params.id);
    if (!ORDER_ID.test(orderId)) throw notFound();
    const request = await readJsonBody(ctx, CapturePayPalOrderRequest);
    ctx.body = await capturePayPalOrder(deps, orderId, request, ctx.get('Origin'));
  });

  return router;
}
