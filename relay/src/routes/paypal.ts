import Router from '@koa/router';
import { CapturePayPalOrderRequest, CreatePayPalOrderRequest } from '@onepagepay/protocol';
import type { CardTestingGuard } from '../defence/card-testing-guard.js';
import { isRelayError, notFound } from '../errors.js';
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
  guard: CardTestingGuard;
}

/** The PayPal Buttons' two calls: create the order, capture it once approved (webhooks: provider-webhooks.ts). */
export function paypalRoutes(deps: PayPalRouteDeps): Router {
  const router = new Router({ prefix: '/v1' });
  const cors = publicCors(deps.origins);
  const payments = rateLimitPerIp('payments', deps.rateLimits.paymentsPerMinute);

  router.options('/paypal/orders', cors);
  router.post('/paypal/orders', cors, payments, async (ctx) => {
    const request = await readJsonBody(ctx, CreatePayPalOrderRequest);
    // The card path's guard: a stolen PayPal login or card in PayPal's guest checkout is tested
    // the same way. PayPal names no payer before approval, so only the IP and tenant caps count.
    const found = await deps.forms.find(request.tenantId, request.formId);
    if (found) {
      await deps.guard.admit({
        ip: ctx.ip,
        tenantId: request.tenantId,
        attemptId: request.attemptId,
        challengeToken: request.challengeToken,
        tenant: found.tenant,
      });
    }
    ctx.body = await createPayPalOrder(deps, request, ctx.get('Origin'));
  });

  router.options('/paypal/orders/:id/capture', cors);
  router.post('/paypal/orders/:id/capture', cors, payments, async (ctx) => {
    const orderId = String(ctx.params.id);
    if (!ORDER_ID.test(orderId)) throw notFound();
    const request = await readJsonBody(ctx, CapturePayPalOrderRequest);
    try {
      ctx.body = await capturePayPalOrder(deps, orderId, request, ctx.get('Origin'));
    } catch (error) {
      // A declined funding source counts against the IP and the attempt, as a card decline does.
      if (isRelayError(error))
        await deps.guard.recordFailure({ ip: ctx.ip, attemptId: request.attemptId }, error.code);
      throw error;
    }
  });

  return router;
}
