import Router from '@koa/router';
import type { Knex } from 'knex';
import { CreateRefundRequest } from '@onepagepay/protocol';
import { inTenantModeTransaction } from '../../db/tenant-scope.js';
import { readJsonBody } from '../../http/read-body.js';
import type { HubSpotConfig } from '../../config.js';
import { readHubSpotReport } from '../../hubspot/portal-report.js';
import { hubspotStatus } from '../../merchants/hubspot-setup.js';
import { recordAuditEvent } from '../../merchants/audit.js';
import { exportTransactionsCsv } from '../../merchants/csv-export.js';
import {
  getContact,
  getTransaction,
  listAuditEvents,
  listContacts,
  listTransactions,
} from '../../merchants/merchant-reads.js';
import { refundTransaction } from '../../merchants/refunds.js';
import { readLimit, readTransactionFilters } from '../../merchants/transaction-listing.js';
import type { ProviderClients } from '../../payments/payment-deps.js';
import { callerOf, requireMerchant, type MerchantAuthDeps } from './merchant-auth.js';

type Query = Record<string, string | string[] | undefined>;

const cursorOf = (query: Query) => (typeof query.cursor === 'string' ? query.cursor : undefined);

/** The merchant's data: transactions, CSV export, contacts, refunds, HubSpot status and the audit log. No CORS. */
export function dataRoutes(
  deps: MerchantAuthDeps &
    ProviderClients & { knex: Knex; hubspot: Pick<HubSpotConfig, 'oauth' | 'apiBase'> },
): Router {
  const router = new Router({ prefix: '/v1' });
  const transactionsRead = requireMerchant(deps, { scope: 'transactions:read' });

  router.get('/transactions', transactionsRead, async (ctx) => {
    const query = ctx.query as Query;
    const filters = readTransactionFilters(query);
    const cursor = cursorOf(query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listTransactions(deps.knex, callerOf(ctx).scope, filters, {
      ...(cursor ? { cursor } : {}),
      limit: readLimit(query.limit),
    });
  });

  router.get('/transactions.csv', transactionsRead, async (ctx) => {
    const caller = callerOf(ctx);
    const filters = readTransactionFilters(ctx.query as Query);
    await inTenantModeTransaction(deps.knex, caller.scope, (trx) =>
      recordAuditEvent(trx, caller.scope, caller.actor, {
        action: 'export.csv',
        details: { filters: { ...filters } },
      }),
    );
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="transactions-${caller.scope.livemode ? 'live' : 'test'}.csv"`,
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await exportTransactionsCsv(deps.knex, caller.scope, filters);
  });

  router.get('/transactions/:id', transactionsRead, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getTransaction(deps.knex, callerOf(ctx).scope, String(ctx.params.id));
  });

  router.post('/transactions/:id/refunds', requireMerchant(deps, { scope: 'refunds:write' }), async (ctx) => {
    const caller = callerOf(ctx);
    const input = await readJsonBody(ctx, CreateRefundRequest);
    ctx.body = await refundTransaction(
      deps,
      caller.scope,
      String(ctx.params.id),
      input,
      ctx.get('Idempotency-Key'),
      caller.actor,
    );
  });

  const contactsRead = requireMerchant(deps, { scope: 'contacts:read' });
  router.get('/contacts', contactsRead, async (ctx) => {
    const query = ctx.query as Query;
    const cursor = cursorOf(query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listContacts(
      deps.knex,
      callerOf(ctx).scope,
      typeof query.email === 'string' && query.email ? { email: query.email } : {},
      { ...(cursor ? { cursor } : {}), limit: readLimit(query.limit) },
    );
  });

  router.get('/contacts/:id', contactsRead, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getContact(deps.knex, callerOf(ctx).scope, String(ctx.params.id));
  });

  // The one HubSpot status route, for keys and sessions alike (GET /v1/merchant/hubspot is its
  // deprecated session-only predecessor).
  router.get('/hubspot', transactionsRead, async (ctx) => {
    const { scope } = callerOf(ctx);
    const report = await readHubSpotReport(deps.knex, scope);
    const connection = await hubspotStatus(deps.knex, scope, deps.hubspot);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      object: 'hubspot_status',
      ...report,
      livemode: scope.livemode,
      authKind: connection.authKind,
      propertiesReady: connection.propertiesReady,
      oauthConfigured: connection.oauthConfigured,
      sync: connection.sync,
    };
  });

  router.get('/audit-events', requireMerchant(deps, { sessionOnly: true, ownerOnly: true }), async (ctx) => {
    const query = ctx.query as Query;
    const cursor = cursorOf(query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listAuditEvents(deps.knex, callerOf(ctx).scope, {
      ...(cursor ? { cursor } : {}),
      limit: readLimit(query.limit),
    });
  });

  return router;
}
