import type { Knex } from 'knex';
import type { FormSubmittedRequest, FormSubmittedResponse } from '@onepagepay/protocol';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { recordFormSubmitted } from '../hubspot/form-submission.js';
import { findOwnPayment } from './own-payment.js';

/**
 * The SDK's report that HubSpot accepted the form after this payment, which stops the relay's
 * server-side submission. The first report (browser or relay) wins; a repeat answers the same.
 */
export async function reportFormSubmitted(
  knex: Knex,
  transactionId: string,
  request: FormSubmittedRequest,
  origin: string,
): Promise<FormSubmittedResponse> {
  const { tenant, transaction } = await findOwnPayment(knex, transactionId, request, origin);
  const scope = { tenantId: tenant.id, livemode: transaction.livemode };
  await recordFormSubmitted(knex, scope, transaction.id, 'browser', new Date(), {
    hutk: request.hutk,
    email: request.email,
  });
  const row = await inTenantTransaction(knex, scope, (trx) =>
    trx('transactions')
      .where({ tenant_id: tenant.id, id: transaction.id })
      .first('form_submitted_at', 'form_submitted_by'),
  );
  return {
    transactionId: transaction.id,
    formSubmittedAt: new Date(row.form_submitted_at as string | Date).toISOString(),
    formSubmittedBy: row.form_submitted_by as 'browser' | 'relay',
  };
}
