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
import type { ProviderClients } from './payments/payment-deps.js';
import { apiReferenceRoutes } from './routes/api-reference.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import { healthRoutes } from './routes/health.js';
import { CORE_ROUTE_DOCS, openApiRoutes } from './routes/openapi.js';
import { paypalRoutes } from './routes/paypal.js';
import { publicPaymentRoutes } from './routes/public-payments.js';
import { providerWebhookRoutes } from './routes/provider-webhooks.js';
import { metricsRoutes } from './routes/metrics.js';
import { RelayMetrics } from './observability/metrics.js';
import type { ErrorReporter } from './observability/error-reporter.js';
import type { UpstreamHealthMonitor } from './status/upstream-health.js';
import { CardTestingGuard } from './defence/card-testing-guard.js';
import { createChallengeVerifier, type ChallengeVerifier } from './defence/challenge-verifier.js';
import type { ChallengeConfig } from './defence/card-testing-config.js';
import { TokenCipher } from './hubspot/token-cipher.js';

export interface AppDeps extends ProviderClients {
  config: Pick<
    RelayConfig,
    'trustedProxyHops' | 'requireHttps' | 'rateLimits' | 'cardTesting' | 'encryptionKeys'
  > &
    Partial<Pick<RelayConfig, 'metricsToken'>>;
  knex: Knex;
  logger: Logger;
  health: UpstreamHealthMonitor;
  /** Extra routers (merchant API, HubSpot OAuth ...) and their OpenAPI descriptions. */
  extraRouters?: Array<{ router: Router; docs: RouteDoc[] }>;
  version?: string;
  /** The relay's Prometheus metrics; a private set when not given (tests that build the app alone). */
  metrics?: RelayMetrics;
  /** Verifies CAPTCHA tokens for one set of keys; by default that provider's siteverify. */
  challengeVerifierFor?: (challenge: ChallengeConfig) => ChallengeVerifier;
  /** Receives unexpected errors (Sentry when SENTRY_DSN is set); none are sent without one. */
  errorReporter?: ErrorReporter;
}

/** Builds the relay's Koa app without listening, so tests and the server share one construction. */
export function buildApp(deps: AppDeps): { app: Koa; origins: OriginDirectory } {
  // Each trusted proxy appends the address it saw to X-Forwarded-For; entries left of those are
  // whatever the client wrote, so only the last `trustedProxyHops` are read.
  const hops = deps.config.trustedProxyHops;
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops });
  const origins = new OriginDirectory(deps.knex);
  const forms = new PaymentFormCache(deps.knex);
  const metrics = deps.metrics ?? new RelayMetrics({ knex: deps.knex });
  const guard = new CardTestingGuard(
    deps.knex,
    deps.config.cardTesting,
    new TokenCipher(deps.config.encryptionKeys),
    deps.challengeVerifierFor ?? ((challenge) => createChallengeVerifier(challenge)),
    (reason) => metrics.countRefusal(reason),
  );
  const paymentDeps = { ...deps, forms, metrics, guard };
  // The error boundary handles everything; Koa's default handler would only log to stderr.
  app.silent = true;
  app.use(errorBoundary(deps.logger, deps.errorReporter));
  app.use(securityHeaders());
  app.use(requireHttps(deps.config.requireHttps));
  app.use(metrics.middleware());

  const routers: Router[] = [
    healthRoutes(deps.knex),
    metricsRoutes(metrics, deps.config.metricsToken),
    publicPaymentRoutes({ ...paymentDeps, origins, rateLimits: deps.config.rateLimits }),
    providerWebhookRoutes(paymentDeps),
    paypalRoutes({ ...paymentDeps, origins, rateLimits: deps.config.rateLimits }),
    ...(deps.extraRouters ?? []).map((extra) => extra.router),
  ];
  const docs = [...CORE_ROUTE_DOCS, ...(deps.extraRouters ?? []).flatMap((extra) => extra.docs)];
  routers.push(openApiRoutes(docs, deps.version ?? '0.1.0'), apiReferenceRoutes(), dashboardRoutes());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return { app, origins };
}
