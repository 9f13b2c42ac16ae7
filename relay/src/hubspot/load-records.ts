import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { FormCheck } from './form-check.js';
import type { SyncRecord } from './push-records.js';

/** Statuses that are pushed: a payment that happened, whatever came after it. */
export const PUSHED_STATUSES = new Set(['succeeded', 'refunded', 'partially_refunded', 'disputed']);

export interface LoadedTransaction extends SyncRecord {
  formGuid: string;
  /** What the relay last read of the form's definition in HubSpot; null before the first read. */
  formCheck: FormCheck | null;
  formSubmittedAt: Date | null;
  hutk: string | null;
  pageUri: string | null;
}

/**
 * Reads what a push needs for these transactions in one query. The payment time is when its first
 * HubSpot job was written (the moment it became paid), so the deal's close date never moves.
 */
export async function loadTransactions(
  knex: Knex,
  scope: TenantScope,
  transactionIds: readonly string[],
): Promise<Map<string, LoadedTransaction>> {
  const rows = await inTenantTransaction(knex, scope, (trx) =>
    trx('transactions as t')
      .join('forms as f', (join) => join.on('f.tenant_id', 't.tenant_id').andOn('f.id', 't.form_id'))
      .leftJoin('contacts as c', (join) =>
        join.on('c.tenant_id', 't.tenant_id').andOn('c.id', 't.contact_id'),
      )
      .where('t.tenant_id', scope.tenantId)
      .whereIn('t.id', [...new Set(transactionIds)])
      .select(
        't.id',
        't.status',
        't.amount',
        't.amount_refunded',
        't.currency',
        't.product_name',
        't.provider_payment_id',
        't.created_at',
        't.form_submitted_at',
        't.hutk',
        't.page_uri',
        'c.email',
        'c.first_name',
        'c.last_name',
        'f.hubspot_form_guid',
        'f.hubspot_form_check',
        'f.hubspot_pipeline',
        'f.hubspot_deal_stage',
        trx.raw(`(select min(o.created_at) from outbox o where o.tenant_id = t.tenant_id
          and o.transaction_id = t.id and o.topic = 'hubspot.transaction') as paid_at`),
      ),
  );
  const loaded = new Map<string, LoadedTransaction>();
  for (const row of rows as Array<Record<string, unknown>>) {
    loaded.set(row['id'] as string, {
      transactionId: row['id'] as string,
      status: row['status'] as string,
      amount: row['amount'] as number,
      amountRefunded: row['amount_refunded'] as number,
      currency: (row['currency'] as string).trim(),
      productName: row['product_name'] as string,
      providerPaymentId: (row['provider_payment_id'] as string | null) ?? null,
      paidAt: new Date((row['paid_at'] ?? row['created_at']) as string | Date),
      contact: row['email']
        ? {
            email: row['email'] as string,
            firstName: row['first_name'] as string,
            lastName: row['last_name'] as string,
          }
        : null,
      pipeline: (row['hubspot_pipeline'] as string | null) ?? 'default',
      dealStage: (row['hubspot_deal_stage'] as string | null) ?? 'closedwon',
      formGuid: row['hubspot_form_guid'] as string,
      formCheck: (row['hubspot_form_check'] as FormCheck | null) ?? null,
      formSubmittedAt: row['form_submitted_at'] ? new Date(row['form_submitted_at'] as string | Date) : null,
      hutk: (row['hutk'] as string | null) ?? null,
      pageUri: (row['page_uri'] as string | null) ?? null,
    });
  }
  return loaded;
}
