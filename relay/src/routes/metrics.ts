import Router from '@koa/router';
import { RelayError } from '../errors.js';
import { safeEqual } from '../merchants/secrets.js';
import type { RelayMetrics } from '../observability/metrics.js';

/**
 * GET /metrics for Prometheus, behind `Authorization: Bearer $METRICS_TOKEN`. Without a configured
 * token the route does not exist: counts of payments and outbox depth are business data.
 */
export function metricsRoutes(metrics: RelayMetrics, token: string | undefined): Router {
  const router = new Router();
  if (!token) return router;
  router.get('/metrics', async (ctx) => {
    const given = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
    if (!safeEqual(given, token)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new RelayError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.scrape();
  });
  return router;
}
