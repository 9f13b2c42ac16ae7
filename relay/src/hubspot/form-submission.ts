import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { HubSpotSession } from './hubspot-session.js';
import type { LoadedTransaction } from './load-records.js';

/**
 * The safety net for a payer who closed the tab between paying and the form submitting: the relay
 * submits the form through Forms submissions v3 (the secure endpoint, with the portal's token) with
 * the contact's fields, the transaction id and status, and the payer's `hutk` so HubSpot ties the
 * submission to the visitor's page views.
 */
export async function submitFormForPayer(
  session: HubSpotSession,
  formsApiBase: URL,
  transaction: LoadedTransaction,
): Promise<void> {
  const contact = transaction.contact;
  const fields = [
    ...(contact
      ? [
          { objectTypeId: '0-1', name: 'email', value: contact.email },
          { objectTypeId: '0-1', name: 'firstname', value: contact.firstName },
          { objectTypeId: '0-1', name: 'lastname', value: contact.lastName },
        ]
      : []),
    { objectTypeId: '0-1', name: 'onepagepay_transaction_id', value: transaction.transactionId },
    { objectTypeId: '0-1', name: 'onepagepay_payment_status', value: transaction.status },
  ];
  const context: Record<string, string> = {};
  if (transaction.hutk) context['hutk'] = transaction.hutk;
  if (transaction.pageUri) context['pageUri'] = transaction.pageUri;
  const portalId = session.connection.portalId;
  const url = new URL(
    `submissions/v3/integration/secure/submit/${portalId}/${encodeURIComponent(transaction.formGuid)}`,
    formsApiBase.toString().replace(/\/?$/, '/'),
  );
  await session.request({
    method: 'POST',
    url: url.toString(),
    body: { submittedAt: String(transaction.paidAt.getTime()), fields, context },
  });
}

/** Records that the form was submitted (by the payer's browser or by the relay); the first one wins. */
export async function recordFormSubmitted(
  knex: Knex,
  scope: TenantScope,
  transactionId: string,
  by: 'browser' | 'relay',
  at: Date,
  hutk?: string,
): Promise<boolean> {
  return inTenantTransaction(knex, scope, async (trx) => {
    const updated = await trx('transactions')
      .where({ tenant_id: scope.tenantId, id: transactionId })
      .whereNull('form_submitted_at')
      .update({
        form_submitted_at: at,
        form_submitted_by: by,
        ...(hutk ? { hutk: trx.raw('coalesce(hutk, ?)', [hutk]) } : {}),
      });
    return updated > 0;
  });
}
