import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import { toMajorUnitString } from '@onepagepay/protocol';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { copyTransactionsCsv } from './csv-copy.js';
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
export async function exportTransactionsCsv(
  knex: Knex,
  scope: TenantScope,
  filters: TransactionFilters,
): Promise<Readable> {
  // PostgreSQL writes the CSV itself through COPY; PGlite (one connection, no COPY TO STDOUT
  // stream) pages through the same listing with keyset batches.
  if ((knex.client as { config?: { client?: unknown } }).config?.client === 'pg') {
    return copyTransactionsCsv(knex, scope, filters);
  }
  const rows = Readable.from(readBatches(knex, scope, filters), { objectMode: true, highWaterMark: BATCH });
  const csv = stringify({ header: true, columns: COLUMNS, cast: { boolean: (value) => String(value) } });
  rows.on('error', (error) => csv.destroy(error));
  // A client that hangs up stops the reading too (the generator is returned, no more batches).
  csv.on('close', () => rows.destroy());
  return rows.pipe(csv);
}

interface CsvRow extends Omit<TransactionListRow, 'created_at'> {
  created_at: string;
}

/** The next batch is read while the current one is being written, so the database and the CSV work overlap. */
async function* readBatches(knex: Knex, scope: TenantScope, filters: TransactionFilters) {
  const read = (after: Position | undefined) =>
    inTenantModeTransaction(
      knex,
      scope,
      (trx) =>
        selectTransactions(trx, scope, filters, { ...(after ? { after } : {}), limit: BATCH - 1 })
          .clearSelect()
          .select(CSV_COLUMNS.map((column) => trx.raw(column))) as unknown as Promise<CsvRow[]>,
    );
  let pending: Promise<CsvRow[]> | undefined = read(undefined);
  while (pending) {
    const batch: CsvRow[] = await pending;
    const last = batch.at(-1);
    pending = batch.length === BATCH && last ? read({ createdAt: last.cursor_at, id: last.id }) : undefined;
    // Swallow a prefetch failure here only if the consumer stops first; otherwise the await rethrows it.
    pending?.catch(() => undefined);
    for (const row of batch) yield csvRow(row);
  }
}

/** Only what the export writes; timestamps come formatted from SQL to spare a Date per row. */
const CSV_COLUMNS = [
  't.id',
  `to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at`,
  't.status',
  't.amount',
  't.amount_refunded',
  't.currency',
  't.product_name',
  't.form_id',
  'c.email as contact_email',
  't.provider',
  't.provider_payment_id',
  't.hubspot_sync_state',
  't.livemode',
  't.created_at::text as cursor_at',
];

function csvRow(row: CsvRow): unknown[] {
  return [
    row.id,
    row.created_at,
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
