import type { TenantScope } from '../db/tenant-scope.js';
import type { NewTransaction, StatusChange } from './transaction-store.js';

/** How long one relay process may work on an attempt before another may take it over. */
export const CLAIM_MS = 60_000;

const CLAIM_UNTIL = `now() + interval '${CLAIM_MS} milliseconds'`;

/**
 * The payment path's statements. The payments benchmark's baseline (test/bench/payments) sends these
 * same texts, so it always measures exactly the SQL the relay runs.
 */
export const PAYMENT_SQL = {
  claimAttempt: `insert into transactions (tenant_id, livemode, form_id, attempt_id, request_fingerprint, amount,
       currency, product_name, provider, hutk, page_uri, status, claimed_until)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'processing', ${CLAIM_UNTIL})
     on conflict (tenant_id, attempt_id) do nothing returning *`,
  findByAttempt: 'select * from transactions where tenant_id = $1 and attempt_id = $2 limit 1',
  takeOverLapsedClaim: `update transactions set claimed_until = ${CLAIM_UNTIL}
     where tenant_id = $1 and id = $2 and status = 'processing' and (claimed_until is null or claimed_until < now())
     returning *`,
  lockTransaction: 'select * from transactions where tenant_id = $1 and id = $2 limit 1 for update',
  // Queues the HubSpot job and, only if it was new, marks the transaction pending: one statement,
  // planned with its values each time (migration 008 says why this is not a trigger any more).
  enqueueOutbox: `with job as (
       insert into outbox (tenant_id, livemode, topic, dedupe_key, transaction_id, payload)
       values ($1, $2, 'hubspot.transaction', $3, $4, $5)
       on conflict (tenant_id, dedupe_key) do nothing
       returning tenant_id, transaction_id)
     update transactions t set hubspot_sync_state = 'pending'
       from job where t.tenant_id = job.tenant_id and t.id = job.transaction_id`,
  // The payer's contact and its customer id at the Stripe account the tenant charges on now ($4: the
  // connected account, or null for the platform's own).
  findContactByEmail: `select c.*, pc.customer_id as account_customer_id from contacts c
       left join contact_provider_customers pc on pc.tenant_id = c.tenant_id and pc.livemode = c.livemode
         and pc.contact_id = c.id and pc.provider = 'stripe' and pc.account is not distinct from $4::text
     where c.tenant_id = $1 and c.livemode = $2 and c.email = $3 limit 1`,
  // The contact, and (when $6 is known) its customer id at account $7, in one statement: the ids of
  // other accounts stay as they are, so switching back finds them.
  upsertContact: `with contact as (
       insert into contacts (tenant_id, livemode, email, first_name, last_name, stripe_customer_id)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, livemode, email) do update set first_name = excluded.first_name,
         last_name = excluded.last_name, stripe_customer_id = coalesce(excluded.stripe_customer_id,
         contacts.stripe_customer_id), updated_at = now()
       returning *),
     customer as (
       insert into contact_provider_customers (tenant_id, livemode, contact_id, provider, account, customer_id)
       select tenant_id, livemode, id, 'stripe', $7::text, $6 from contact where $6::text is not null
       on conflict (tenant_id, livemode, contact_id, provider, account) do update
         set customer_id = excluded.customer_id, updated_at = now()
         where contact_provider_customers.customer_id <> excluded.customer_id)
     select * from contact`,
} as const;

/** Values for PAYMENT_SQL.claimAttempt, in its parameter order. */
export function claimAttemptValues(scope: TenantScope, attempt: NewTransaction): unknown[] {
  return [
    scope.tenantId,
    scope.livemode,
    attempt.formId,
    attempt.attemptId,
    attempt.requestFingerprint,
    attempt.amount,
    attempt.currency,
    attempt.productName,
    attempt.provider,
    attempt.hutk,
    attempt.pageUri,
  ];
}

/** The columns a status change may set besides the status itself. */
const CHANGE_COLUMNS = {
  providerPaymentId: 'provider_payment_id',
  contactId: 'contact_id',
  failureCode: 'failure_code',
  declineCode: 'decline_code',
  failureMessage: 'failure_message',
  amountRefunded: 'amount_refunded',
} as const satisfies Partial<Record<keyof StatusChange, string>>;

/** Ids are only written when known: a later change without one never erases it. */
const KEEP_WHEN_EMPTY: ReadonlySet<keyof StatusChange> = new Set(['providerPaymentId', 'contactId']);

/** The update that applies a status change to one transaction and releases its claim. */
export function statusUpdateStatement(
  transaction: { tenantId: string; id: string },
  change: StatusChange,
): { text: string; values: unknown[] } {
  const values: unknown[] = [transaction.tenantId, transaction.id, change.status];
  const assignments = ['status = $3', 'claimed_until = null', 'updated_at = now()'];
  for (const [field, column] of Object.entries(CHANGE_COLUMNS) as [keyof typeof CHANGE_COLUMNS, string][]) {
    const value = change[field];
    if (value === undefined || (KEEP_WHEN_EMPTY.has(field) && !value)) continue;
    values.push(value);
    assignments.push(`${column} = $${values.length}`);
  }
  return {
    text: `update transactions set ${assignments.join(', ')} where tenant_id = $1 and id = $2 returning *`,
    values,
  };
}
