import type { Knex } from 'knex';
import type { AuditEvent, MerchantContact, MerchantTransaction } from '@onepagepay/protocol';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  findScopedTransaction,
  presentTransaction,
  selectTransactions,
  type TransactionFilters,
  type TransactionListRow,
} from './transaction-listing.js';
import { isUuid } from '../ids.js';

export interface Page<T> {
  object: 'list';
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

const EMPTY: Page<never> = { object: 'list', data: [], hasMore: false, nextCursor: null };

export async function listTransactions(
  knex: Knex,
  scope: TenantScope,
  filters: TransactionFilters,
  page: { cursor?: string; limit: number },
): Promise<Page<MerchantTransaction>> {
  const after = decodeCursor(scope, page.cursor);
  if (after === 'foreign') return EMPTY;
  const rows = (await inTenantModeTransaction(knex, scope, (trx) =>
    selectTransactions(trx, scope, filters, { ...(after ? { after } : {}), limit: page.limit }),
  )) as TransactionListRow[];
  return pageOf(scope, rows, page.limit, presentTransaction);
}

export async function getTransaction(
  knex: Knex,
  scope: TenantScope,
  id: string,
): Promise<MerchantTransaction> {
  const row = await inTenantModeTransaction(knex, scope, (trx) => findScopedTransaction(trx, scope, id));
  if (!row) throw notFound();
  return presentTransaction(row);
}

interface ContactRow {
  id: string;
  livemode: boolean;
  email: string;
  first_name: string;
  last_name: string;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

function selectContacts(trx: Knex.Transaction, scope: TenantScope) {
  return trx('contacts')
    .select(['id', 'livemode', 'email', 'first_name', 'last_name', 'created_at', 'updated_at'])
    .select(trx.raw('created_at::text as cursor_at'))
    .where({ tenant_id: scope.tenantId, livemode: scope.livemode });
}

export async function listContacts(
  knex: Knex,
  scope: TenantScope,
  filters: { email?: string },
  page: { cursor?: string; limit: number },
): Promise<Page<MerchantContact>> {
  const after = decodeCursor(scope, page.cursor);
  if (after === 'foreign') return EMPTY;
  const rows = (await inTenantModeTransaction(knex, scope, (trx) => {
    const query = selectContacts(trx, scope);
    if (filters.email) query.where('email', filters.email.trim().toLowerCase());
    if (after) query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [after.createdAt, after.id]);
    return query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.limit + 1);
  })) as ContactRow[];
  return pageOf(scope, rows, page.limit, presentContact);
}

export async function getContact(knex: Knex, scope: TenantScope, id: string) {
  if (!isUuid(id)) throw notFound();
  const found = await inTenantModeTransaction(knex, scope, async (trx) => {
    const contact = (await selectContacts(trx, scope).where({ id }).first()) as ContactRow | undefined;
    if (!contact) return undefined;
    const transactions = (await selectTransactions(trx, scope, {}, { limit: 99 }).where(
      't.contact_id',
      id,
    )) as TransactionListRow[];
    return { contact, transactions };
  });
  if (!found) throw notFound();
  return { ...presentContact(found.contact), transactions: found.transactions.map(presentTransaction) };
}

function presentContact(row: ContactRow): MerchantContact {
  return {
    id: row.id,
    object: 'contact',
    livemode: row.livemode,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

interface AuditRow {
  id: string;
  livemode: boolean;
  action: string;
  outcome: 'success' | 'failure';
  actor_type: string;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  target: string | null;
  details: Record<string, unknown>;
  occurred_at: Date;
}

/** Audit events of the tenant in the session's mode, plus account events (logins, 2FA, keys), newest first. */
export async function listAuditEvents(
  knex: Knex,
  scope: TenantScope,
  page: { cursor?: string; limit: number },
): Promise<Page<AuditEvent>> {
  let before: bigint | undefined;
  if (page.cursor) {
    const decoded = decodeCursor(scope, page.cursor);
    if (decoded === 'foreign') return EMPTY;
    before = decoded ? BigInt(`0x${decoded.id.replaceAll('-', '').slice(20)}`) : undefined;
  }
  const rows = (await inTenantModeTransaction(
    knex,
    { tenantId: scope.tenantId, livemode: scope.livemode },
    (trx) => {
      const query = trx('audit_events')
        .where('tenant_id', scope.tenantId)
        .where((q) => q.where('livemode', scope.livemode).orWhere('account_level', true))
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (before !== undefined) query.where('id', '<', before.toString());
      return query;
    },
  )) as AuditRow[];
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  return {
    object: 'list',
    data: data.map((row) => ({
      id: String(row.id),
      object: 'audit_event',
      livemode: row.livemode,
      action: row.action,
      outcome: row.outcome,
      actor: { type: row.actor_type, id: row.actor_id },
      ip: row.ip,
      userAgent: row.user_agent,
      target: row.target,
      details: row.details,
      occurredAt: new Date(row.occurred_at).toISOString(),
    })),
    hasMore,
    nextCursor:
      hasMore && last
        ? encodeCursor(scope, {
            createdAt: new Date(last.occurred_at).toISOString(),
            // Audit events page by their serial id, carried in the cursor's id field.
            id: `00000000-0000-0000-0000-${BigInt(last.id).toString(16).padStart(12, '0')}`,
          })
        : null,
  };
}

function pageOf<R extends { id: string; cursor_at: string }, T>(
  scope: TenantScope,
  rows: R[],
  limit: number,
  present: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return {
    object: 'list',
    data: data.map(present),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(scope, { createdAt: last.cursor_at, id: last.id }) : null,
  };
}
