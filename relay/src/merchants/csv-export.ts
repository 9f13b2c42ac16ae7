import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import { toMajorUnitString } from '@onepagepay/protocol';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { Position } from './cursor.js';
import {
  selectTransactions,
  type TransactionFilters,
  type TransactionListRow,
} from './transaction-listing.js';

const BATCH = 5_000;

const COLUMNS = [
  'id',
  'created_at',
  'status',
  'amount_minor',
  'amount',
  'currency',
  'amount_refunded_minor',
  'product_name',
  'form_id',
  'contact_email',
  'provider',
  'provider_payment_id',
  'hubspot_sync_state',
  'livemode',
];

/**
 * The scope's transactions matching `filters`, newest first, as a CSV stream. It reads keyset
 * batches only as fast as the client takes them, so memory stays flat however many rows there are.
 */
export function exportTransactionsCsv(knex: Knex, scope: TenantScope, filters: TransactionFilters): Readable {
  const rows = Readable.from(readBatches(knex, scope, filters), { objectMode: true, highWaterMark: BATCH });
  const csv = stringify({ header: true, columns: COLUMNS, cast: { boolean: (value) => String(value) } });
  rows.on('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}

async function* readBatches(knex: Knex, scope: TenantScope, filters: TransactionFilters) {
  let after: Position | undefined;
  for (;;) {
    const batch = (await inTenantModeTransaction(knex, scope, (trx) =>
      selectTransactions(trx, scope, filters, { ...(after ? { after } : {}), limit: BATCH - 1 }),
    )) as TransactionListRow[];
    for (const row of batch) yield csvRow(row);
    const last = batch.at(-1);
    if (batch.length < BATCH || !last) return;
    after = { createdAt: last.cursor_at, id: last.id };
  }
}

function csvRow(row: TransactionListRow): unknown[] {
  return [
    row.id,
    new Date(row.created_at).toISOString(),
    row.status,
    row.amount,
    toMajorUnitString(row.amount, row.currency),
    row.currency,
    row.amount_refunded,
    neutralize(row.product_name),
    row.form_id,
    neutralize(row.contact_email),
    row.provider,
    row.provider_payment_id,
    row.hubspot_sync_state,
    row.livemode,
  ];
}

/** OWASP CSV injection: a cell a spreadsheet would read as a formula is prefixed with a quote. */
function neutralize(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
