import Router from '@koa/router';
import {
  ConfirmPaymentRequest,
  currencyExponent,
  CreatePaymentRequest,
  FormSubmittedRequest,
  type FormConfig,
  type ProviderName,
} from '@onepagepay/protocol';
import { isRelayError, notFound } from '../errors.js';
import { anyOriginCors, publicCors, tenantPathCors, type OriginDirectory } from '../http/cors.js';
import { rateLimitPerIp } from '../http/rate-limit.js';
import { readJsonBody } from '../http/read-body.js';
import { confirmPayment } from '../payments/confirm-payment.js';
import { reportFormSubmitted } from '../payments/report-form-submitted.js';
import { createPayment } from '../payments/create-payment.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { PAYMENT_PROVIDERS } from '../payments/providers/index.js';
import { publicProviderConfigs } from '../payments/providers/public-provider-configs.js';
import type { UpstreamHealthMonitor } from '../status/upstream-health.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { CardTestingGuard } from '../defence/card-testing-guard.js';

export interface PublicRouteDeps extends PaymentDeps {
  origins: OriginDirectory;
  health: UpstreamHealthMonitor;
  rateLimits: { paymentsPerMinute: number; publicReadsPerMinute: number };
  metrics: RelayMetrics;
  guard: CardTestingGuard;
}

/** The routes a payer's browser calls: form config, status, pay, confirm, form submitted. Only these send CORS. */
export function publicPaymentRoutes(deps: PublicRouteDeps): Router {
  const router = new Router({ prefix: '/v1' });
  const cors = publicCors(deps.origins);
  const reads = rateLimitPerIp('public-reads', deps.rateLimits.publicReadsPerMinute);
  const payments = rateLimitPerIp('payments', deps.rateLimits.paymentsPerMinute);
  const countedStripe = deps.metrics.countPayments('stripe');

  router.get('/status', anyOriginCors(), reads, async (ctx) => {
    ctx.body = await deps.health.status();
    ctx.set('Cache-Control', `public, max-age=${deps.health.maxAgeSeconds()}`);
  });

  router.get('/forms/:tenantId/:formId', tenantPathCors(deps.origins), reads, async (ctx) => {
    const { tenantId, formId } = ctx.params as { tenantId: string; formId: string };
    if (formId.length > 64) throw notFound();
    const found = await deps.forms.find(tenantId, formId);
    if (!found) throw notFound();
    const { tenant, form } = found;
    const config: FormConfig = {
      tenantId,
      formId: form.hubspotFormGuid,
      livemode: form.livemode,
      product: { name: form.productName },
      amount: form.amount,
      customAmount:
        form.amount === null
          ? { min: form.customAmountMin as number, max: form.customAmountMax as number }
          : null,
      currency: form.currency,
      currencyDecimals: currencyExponent(form.currency),
      providers: form.providers as FormConfig['providers'],
      // Each provider's own block (its key, the protocol's shape), null where the form does not offer it.
      ...(publicProviderConfigs(PAYMENT_PROVIDERS, deps, tenant, form) as Pick<FormConfig, ProviderName>),
      challenge: deps.guard.widgetFor(tenant),
    };
    ctx.body = config;
    ctx.set('Cache-Control', 'public, max-age=30');
  });

  router.options('/payments', cors);
  router.post('/payments', cors, payments, countedStripe, async (ctx) => {
    const request = await readJsonBody(ctx, CreatePaymentRequest);
    // An unknown form is answered 404 by createPayment without counting anything against anyone.
    const found = await deps.forms.find(request.tenantId, request.formId);
    const attempt = {
      ip: ctx.ip,
      tenantId: request.tenantId,
      email: request.contact.email,
      attemptId: request.attemptId,
      challengeToken: request.challengeToken,
    };
    if (found) await deps.guard.admit({ ...attempt, tenant: found.tenant });
    try {
      ctx.body = await createPayment(deps, request, ctx.get('Origin'));
    } catch (error) {
      if (isRelayError(error)) await deps.guard.recordFailure(attempt, error.code);
      throw error;
    }
  });

  router.options('/payments/:id/confirm', cors);
  router.post('/payments/:id/confirm', cors, payments, countedStripe, async (ctx) => {
    const request = await readJsonBody(ctx, ConfirmPaymentRequest);
    try {
      ctx.body = await confirmPayment(deps, String(ctx.params.id), request, ctx.get('Origin'));
    } catch (error) {
      // Failed 3-D Secure counts against the IP and the attempt (the confirm names no email).
      if (isRelayError(error))
        await deps.guard.recordFailure({ ip: ctx.ip, attemptId: request.attemptId }, error.code);
      throw error;
    }
  });

  router.options('/payments/:id/form-submitted', cors);
  router.post('/payments/:id/form-submitted', cors, payments, async (ctx) => {
    const request = await readJsonBody(ctx, FormSubmittedRequest, { beacon: true });
    ctx.body = await reportFormSubmitted(deps.knex, String(ctx.params.id), request, ctx.get('Origin'));
  });

  return router;
}
