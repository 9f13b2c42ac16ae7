import Router from '@koa/router';
import { FormSubmittedRequest, FormSubmittedResponse, type RouteDoc } from '@onepagepay/protocol';
import { Type } from '@sinclair/typebox';
import type { Knex } from 'knex';
import type { RelayConfig } from '../../config.js';
import { Tenant } from '../../db/models/tenant.js';
import { Transaction } from '../../db/models/transaction.js';
import { inTenantTransaction } from '../../db/tenant-scope.js';
import { notFound, RelayError } from '../../errors.js';
import { originIsAllowed, OriginDirectory, publicCors } from '../../http/cors.js';
import { rateLimitPerIp } from '../../http/rate-limit.js';
import { readJsonBody } from '../../http/read-body.js';
import { recordFormSubmitted } from '../../hubspot/form-submission.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const FORM_SUBMITTED_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/payments/:id/form-submitted',
    summary:
      "The SDK's report that HubSpot accepted the form after this payment (stops the server-side submission)",
    tags: ['public'],
    params: { id: Type.String({ format: 'uuid' }) },
    body: FormSubmittedRequest,
    responses: {
      200: { description: 'Recorded (or already recorded)', schema: FormSubmittedResponse },
      400: { description: 'An error with a stable code' },
      403: { description: 'An error with a stable code' },
      404: { description: 'An error with a stable code' },
      429: { description: 'An error with a stable code' },
    },
  },
];

export function formSubmittedRoutes(deps: { config: RelayConfig; knex: Knex }): Router {
  const router = new Router({ prefix: '/v1' });
  const cors = publicCors(new OriginDirectory(deps.knex));
  const limit = rateLimitPerIp('form-submitted', deps.config.rateLimits.paymentsPerMinute);

  router.options('/payments/:id/form-submitted', cors);
  router.post('/payments/:id/form-submitted', cors, limit, async (ctx) => {
    const request = await readJsonBody(ctx, FormSubmittedRequest);
    const transactionId = String(ctx.params['id']);
    if (!UUID.test(transactionId)) throw notFound();
    const tenant = await Tenant.query(deps.knex).findById(request.tenantId);
    if (!tenant) throw notFound();
    if (!originIsAllowed(ctx, tenant.allowedOrigins)) {
      throw new RelayError(
        'origin_not_allowed',
        'This page is not allowed to report submissions for this form.',
      );
    }
    const scope = { tenantId: tenant.id, livemode: false };
    const transaction = await inTenantTransaction(deps.knex, scope, (trx) =>
      Transaction.query(trx).where({ tenant_id: tenant.id, id: transactionId }).first(),
    );
    // The attempt id is the payer's secret for this payment: without it, the report is refused alike.
    if (!transaction || transaction.attemptId !== request.attemptId) throw notFound();
    await recordFormSubmitted(
      deps.knex,
      { tenantId: tenant.id, livemode: transaction.livemode },
      transaction.id,
      'browser',
      new Date(),
      request.hutk,
    );
    const row = await inTenantTransaction(deps.knex, scope, (trx) =>
      trx('transactions')
        .where({ tenant_id: tenant.id, id: transaction.id })
        .first('form_submitted_at', 'form_submitted_by'),
    );
    const body: FormSubmittedResponse = {
      transactionId: transaction.id,
      formSubmittedAt: new Date(row.form_submitted_at as string | Date).toISOString(),
      formSubmittedBy: row.form_submitted_by as 'browser' | 'relay',
    };
    ctx.body = body;
  });
  return router;
}
