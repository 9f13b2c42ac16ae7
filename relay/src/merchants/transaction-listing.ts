import type { Knex } from 'knex';
import type { MerchantTransaction, ProviderName } from '@onepagepay/protocol';
import type { TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { Position } from './cursor.js';
import { isUuid } from '../ids.js';
import { isProviderName, listProviderNames } from '../payments/providers/index.js';

export interface TransactionFilters {
  createdGte?: Date;
  createdLt?: Date;
  statuses?: string[];
  product?: string;
  form?: string;
  provider?: string;
  contactEmail?: string;
  syncState?: string;
}

const STATUSES = new Set([
  'processing',
  'requires_action',
  'succeeded',
  'failed',
  'refunded',
  'partially_refunded',
  'disputed',
]);
const SYNC_STATES = new Set(['pending', 'synced', 'retrying', 'failed', 'none']);

/** Reads the query string of GET /v1/transactions (and .csv); unknown values are 400s that name the parameter. */
export function readTransactionFilters(
  query: Record<string, string | string[] | undefined>,
): TransactionFilters {
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) throw new RelayError('invalid_request', `Give ${name} once.`);
    return value === undefined || value === '' ? undefined : value;
  };
  const date = (name: string) => {
    const value = one(name);
    if (value === undefined) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) {
      throw new RelayError(
        'invalid_request',
        `${name} must be an ISO 8601 date-time such as 2026-11-21T00:00:00Z.`,
      );
    }
    return parsed;
  };
  const filters: TransactionFilters = {};
  const createdGte = date('created_gte');
  const createdLt = date('created_lt');
  if (createdGte) filters.createdGte = createdGte;
  if (createdLt) filters.createdLt = createdLt;
  const status = one('status');
  if (status) {
    const statuses = status.split(',').map((entry) => entry.trim());
    if (statuses.some((entry) => !STATUSES.has(entry))) {
      throw new RelayError('invalid_request', `status must be one or more of: ${[...STATUSES].join(', ')}.`);
    }
    filters.statuses = statuses;
  }
  const product = one('product');
  if (product) filters.product = product.slice(0, 200);
  const form = one('form');
  if (form) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(form))
      throw new RelayError('invalid_request', 'form must be a form UUID or HubSpot form GUID.');
    filters.form = form;
  }
  const provider = one('provider');
  if (provider) {
    if (!isProviderName(provider))
      throw new RelayError('invalid_request', `provider must be ${listProviderNames(' or ')}.`);
    filters.provider = provider;
  }
  const contactEmail = one('contact_email');
  if (contactEmail) filters.contactEmail = contactEmail.trim().toLowerCase().slice(0, 254);
  const syncState = one('sync_state');
  if (syncState) {
    if (!SYNC_STATES.has(syncState)) {
      throw new RelayError('invalid_request', `sync_state must be one of: ${[...SYNC_STATES].join(', ')}.`);
    }
    filters.syncState = syncState;
  }
  return filters;
}

export function readLimit(raw: unknown, fallback = 25): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new RelayError('invalid_request', 'limit must be an integer from 1 to 100.');
  }
  return value;
}

const COLUMNS = [
  't.id',
  't.livemode',
  't.status',
  't.amount',
  't.amount_refunded',
  't.currency',
  't.product_name',
  't.form_id',
  't.contact_id',
  't.provider',
  't.provider_payment_id',
  't.failure_code',
  't.decline_code',
  't.hubspot_sync_state',
  't.page_uri',
  't.created_at',
  't.updated_at',
];

export interface TransactionListRow {
  id: string;
  livemode: boolean;
  status: MerchantTransaction['status'];
  amount: number;
  amount_refunded: number;
  currency: string;
  product_name: string;
  form_id: string;
  contact_id: string | null;
  contact_email: string | null;
  provider: ProviderName;
  provider_payment_id: string | null;
  failure_code: string | null;
  decline_code: string | null;
  hubspot_sync_state: MerchantTransaction['hubspotSyncState'];
  page_uri: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/**
 * One newest-first page of the scope's transactions after `after`, with `limit + 1` rows read so the
 * caller knows whether there is more. The order and the row comparison follow
 * transactions_listing_idx (tenant_id, livemode, created_at desc, id desc), so a page deep in a
 * million rows costs the same as the first.
 */
export function selectTransactions(
  trx: Knex.Transaction,
  scope: TenantScope,
  filters: TransactionFilters,
  page: { after?: Position; limit: number },
  options: { tenantFilter?: boolean } = {},
): Knex.QueryBuilder {
  const query = trx({ t: 'transactions' })
    .leftJoin({ c: 'contacts' }, function joinContact() {
      this.on('c.tenant_id', 't.tenant_id').andOn('c.id', 't.contact_id');
    })
    .select([...COLUMNS, 'c.email as contact_email', trx.raw('t.created_at::text as cursor_at')]);
  // The application's own tenant filter; only the RLS test turns it off, to prove the second wall.
  if (options.tenantFilter ?? true) query.where('t.tenant_id', scope.tenantId);
  query.where('t.livemode', scope.livemode);
  if (filters.createdGte) query.where('t.created_at', '>=', filters.createdGte);
  if (filters.createdLt) query.where('t.created_at', '<', filters.createdLt);
  if (filters.statuses) query.whereIn('t.status', filters.statuses);
  if (filters.product) query.where('t.product_name', filters.product);
  if (filters.provider) query.where('t.provider', filters.provider);
  if (filters.syncState === 'none') query.whereNull('t.hubspot_sync_state');
  else if (filters.syncState) query.where('t.hubspot_sync_state', filters.syncState);
  if (filters.form) {
    const forms = trx('forms').select('id').where('tenant_id', scope.tenantId);
    if (isUuid(filters.form))
      forms.where((q) => q.where('id', filters.form!).orWhere('hubspot_form_guid', filters.form!));
    else forms.where('hubspot_form_guid', filters.form);
    query.whereIn('t.form_id', forms);
  }
  if (filters.contactEmail) {
    query.where(
      't.contact_id',
      trx('contacts')
        .select('id')
        .where({ tenant_id: scope.tenantId, livemode: scope.livemode, email: filters.contactEmail }),
    );
  }
  if (page.after) {
    query.whereRaw('(t.created_at, t.id) < (?::timestamptz, ?::uuid)', [page.after.createdAt, page.after.id]);
  }
  return query
    .orderBy([
      { column: 't.created_at', order: 'desc' },
      { column: 't.id', order: 'desc' },
    ])
    .limit(page.limit + 1);
}

export function presentTransaction(row: TransactionListRow): MerchantTransaction {
  return {
    id: row.id,
    object: 'transaction',
    livemode: row.livemode,
    status: row.status,
    amount: row.amount,
    amountRefunded: row.amount_refunded,
    currency: row.currency,
    productName: row.product_name,
    formId: row.form_id,
    contactId: row.contact_id,
    contactEmail: row.contact_email,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    failureCode: row.failure_code,
    declineCode: row.decline_code,
    hubspotSyncState: row.hubspot_sync_state,
    pageUri: row.page_uri,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** One transaction of the scope, by id: undefined for a malformed id or another tenant's or mode's. */
export async function findScopedTransaction(trx: Knex.Transaction, scope: TenantScope, id: string) {
  if (!isUuid(id)) return undefined;
  const query = selectTransactions(trx, scope, {}, { limit: 0 }).clearOrder().limit(1).where('t.id', id);
  return (await query.first()) as TransactionListRow | undefined;
}
