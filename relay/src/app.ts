import Koa from 'koa';
import type Router from '@koa/router';
import type { Knex } from 'knex';
import type { RouteDoc } from '@onepagepay/protocol';
import type { RelayConfig } from './config.js';
import type { Logger } from './logger.js';
import { errorBoundary } from './http/error-boundary.js';
import { OriginDirectory } from './http/cors.js';
import { requireHttps, securityHeaders } from './http/security-headers.js';
import { PaymentFormCache } from './payments/payment-form-cache.js';
import type { StripeAccounts } from './payments/stripe-accounts.js';
import { apiReferenceRoutes } from './routes/api-reference.js';
import { healthRoutes } from './routes/health.js';
import { CORE_ROUTE_DOCS, openApiRoutes } from './routes/openapi.js';
import { publicPaymentRoutes } from './routes/public-payments.js';
import { stripeWebhookRoutes } from './routes/stripe-webhooks.js';
import type { UpstreamHealthMonitor } from './status/upstream-health.js';

export interface AppDeps {
  config: Pick<RelayConfig, 'trustProxy' | 'requireHttps' | 'rateLimits'>;
  knex: Knex;
  stripe: StripeAccounts;
  logger: Logger;
  health: UpstreamHealthMonitor;
  /** Extra routers (merchant API, HubSpot OAuth ...) and their OpenAPI descriptions. */
  extraRouters?: Array<{ router: Router; docs: RouteDoc[] }>;
  version?: string;
}

/** Builds the relay's Koa app without listening, so tests and the server share one construction. */
export function buildApp(deps: AppDeps): { app: Koa; origins: OriginDirectory } {
  const app = new Koa({ proxy: deps.config.trustProxy });
  const origins = new OriginDirectory(deps.knex);
  const forms = new PaymentFormCache(deps.knex);
  const paymentDeps = { ...deps, forms };
  // The error boundary handles everything; Koa's default handler would only log to stderr.
  app.silent = true;
  app.use(errorBoundary(deps.logger));
  app.use(securityHeaders());
  app.use(requireHttps(deps.config.requireHttps));

  const routers: Router[] = [
    healthRoutes(deps.knex),
    publicPaymentRoutes({ ...paymentDeps, origins, rateLimits: deps.config.rateLimits }),
    stripeWebhookRoutes(paymentDeps),
    ...(deps.extraRouters ?? []).map((extra) => extra.router),
  ];
  const docs = [...CORE_ROUTE_DOCS, ...(deps.extraRouters ?? []).flatMap((extra) => extra.docs)];
  routers.push(openApiRoutes(docs, deps.version ?? '0.1.0'), apiReferenceRoutes());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return { app, origins };
}
