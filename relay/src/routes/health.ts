import Router from '@koa/router';
import type { Knex } from 'knex';
import { migrationsAreCurrent } from '../db/migrations/index.js';
import { RelayError } from '../errors.js';

/** Liveness says the process answers; readiness says the database answers and its schema is current. */
export function healthRoutes(knex: Knex): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await knex.raw('select 1');
    } catch (error) {
      throw new RelayError('provider_unavailable', 'The database is not reachable.', { cause: error });
    }
    const current = await migrationsAreCurrent(knex).catch(() => false);
    if (!current) {
      throw new RelayError(
        'provider_unavailable',
        'Database migrations are pending: run onepagepay-relay migrate.',
      );
    }
    ctx.body = { status: 'ready' };
  });
  return router;
}
