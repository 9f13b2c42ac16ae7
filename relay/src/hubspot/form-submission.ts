import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { Logger } from '../logger.js';
import { findFormSubmission } from './find-form-submission.js';
import type { HubSpotSession } from './hubspot-session.js';
import { readFormCheck } from './form-check.js';
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
  const wanted = [
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
  // HubSpot refuses a submission naming a field the form lacks: send only the form's own fields (the
  // missing hidden ones are reported by `hubspot status` and the merchant API, not retried here).
  const check = transaction.formCheck ?? (await readFormCheck(session, transaction.formGuid, new Date()));
  const fields = check.problem
    ? wanted
    : wanted.filter((field) => check.fields.some((known) => known.name === field.name));
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

/**
 * The relay's fallback for a paid form whose submission was never reported: first asks HubSpot
 * whether a submission carrying the transaction exists (the payer's browser sent it but its report
 * was lost, as on a form that redirects), and submits only when none does. Answers what to record.
 */
export async function submitFormIfMissing(
  session: HubSpotSession,
  formsApiBase: URL,
  transaction: LoadedTransaction,
  now: Date,
  logger: Logger,
): Promise<{ by: 'browser' | 'relay'; at: Date; email: string | undefined }> {
  const found = await findFormSubmission(session, transaction);
  if (found && found !== 'gave_up') return { by: 'browser', at: found.submittedAt, email: found.email };
  if (found === 'gave_up') {
    logger.warn(
      { transactionId: transaction.transactionId, formGuid: transaction.formGuid },
      'hubspot form submission not found among the form’s recent submissions; submitting it',
    );
  }
  await submitFormForPayer(session, formsApiBase, transaction);
  return { by: 'relay', at: now, email: transaction.contact?.email };
}

/** What the relay learns of a submission: when, and the email HubSpot received with it. */
export interface SubmissionSeen {
  hutk?: string | undefined;
  email?: string | undefined;
}

/** Records that the form was submitted (by the payer's browser or by the relay); the first one wins. */
export async function recordFormSubmitted(
  knex: Knex,
  scope: TenantScope,
  transactionId: string,
  by: 'browser' | 'relay',
  at: Date,
  seen: SubmissionSeen = {},
): Promise<boolean> {
  return inTenantTransaction(knex, scope, async (trx) => {
    const updated = await trx('transactions')
      .where({ tenant_id: scope.tenantId, id: transactionId })
      .whereNull('form_submitted_at')
      .update({
        form_submitted_at: at,
        form_submitted_by: by,
        ...(seen.hutk ? { hutk: trx.raw('coalesce(hutk, ?)', [seen.hutk]) } : {}),
        ...(seen.email ? { submitted_email: seen.email } : {}),
      });
    return updated > 0;
  });
}
