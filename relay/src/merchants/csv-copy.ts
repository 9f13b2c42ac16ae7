import { PassThrough, type Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { currencyExponent } from '@onepagepay/protocol';
import { APP_ROLE } from '../db/row-security.js';
import type { TenantScope } from '../db/tenant-scope.js';
import type { TransactionFilters } from './transaction-listing.js';

/** Currencies whose minor unit is not 1/100, from the protocol's own table (never typed twice). */
const EXPONENTS = (() => {
  const codes = Intl.supportedValuesOf('currency');
  return {
    zero: codes.filter((code) => currencyExponent(code) === 0),
    three: codes.filter((code) => currencyExponent(code) === 3),
  };
})();

/** Neutralizes spreadsheet formulas (OWASP CSV injection), as the keyset path does in JS. */
const neutralized = (expression: string) =>
  `case when ${expression} ~ '^[=+@\\t\\r-]' then '''' || ${expression} else ${expression} end`;

const SELECT = `select t.id,
    to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
    t.status, t.amount as amount_minor,
    case when t.currency = any(current_setting('app.csv_zero_decimal')::text[]) then t.amount::text
         when t.currency = any(current_setting('app.csv_three_decimal')::text[]) then to_char(t.amount / 1000.0, 'FM999999990.000')
         else to_char(t.amount / 100.0, 'FM999999990.00') end as amount,
    t.currency, t.amount_refunded as amount_refunded_minor,
    ${neutralized('t.product_name')} as product_name, t.form_id,
    ${neutralized('c.email')} as contact_email, t.provider, t.provider_payment_id, t.hubspot_sync_state,
    case when t.livemode then 'true' else 'false' end as livemode
  from transactions t
  left join contacts c on c.tenant_id = t.tenant_id and c.id = t.contact_id
  where t.tenant_id = current_setting('app.tenant_id')::uuid
    and t.livemode = current_setting('app.livemode')::boolean`;

/**
 * The CSV export on PostgreSQL: one `COPY (select ...) TO STDOUT` inside a tenant-bound transaction
 * running as the app role, so row-level security applies and PostgreSQL itself writes the CSV.
 * COPY takes no bind parameters, so every filter value travels as a transaction-local setting and
 * the statement text holds no input at all. The stream is read only as fast as the client takes it.
 */
export async function copyTransactionsCsv(
  knex: Knex,
  scope: TenantScope,
  filters: TransactionFilters,
): Promise<Readable> {
  const settings: Record<string, string> = {
    'app.tenant_id': scope.tenantId,
    'app.livemode': String(scope.livemode),
    'app.livemode_enforced': 'on',
    'app.csv_zero_decimal': `{${EXPONENTS.zero.join(',')}}`,
    'app.csv_three_decimal': `{${EXPONENTS.three.join(',')}}`,
    role: APP_ROLE,
  };
  const where: string[] = [];
  if (filters.createdGte) {
    settings['app.f_created_gte'] = filters.createdGte.toISOString();
    where.push(`t.created_at >= current_setting('app.f_created_gte')::timestamptz`);
  }
  if (filters.createdLt) {
    settings['app.f_created_lt'] = filters.createdLt.toISOString();
    where.push(`t.created_at < current_setting('app.f_created_lt')::timestamptz`);
  }
  if (filters.statuses) {
    settings['app.f_statuses'] = filters.statuses.join(',');
    where.push(`t.status = any(string_to_array(current_setting('app.f_statuses'), ','))`);
  }
  if (filters.product) {
    settings['app.f_product'] = filters.product;
    where.push(`t.product_name = current_setting('app.f_product')`);
  }
  if (filters.provider) {
    settings['app.f_provider'] = filters.provider;
    where.push(`t.provider = current_setting('app.f_provider')`);
  }
  if (filters.syncState === 'none') where.push('t.hubspot_sync_state is null');
  else if (filters.syncState) {
    settings['app.f_sync_state'] = filters.syncState;
    where.push(`t.hubspot_sync_state = current_setting('app.f_sync_state')`);
  }
  if (filters.form) {
    settings['app.f_form'] = filters.form;
    where.push(`t.form_id in (select f.id from forms f where f.tenant_id = t.tenant_id
      and (f.id::text = current_setting('app.f_form') or f.hubspot_form_guid = current_setting('app.f_form')))`);
  }
  if (filters.contactEmail) {
    settings['app.f_contact_email'] = filters.contactEmail;
    where.push(`t.contact_id = (select k.id from contacts k where k.tenant_id = t.tenant_id
      and k.livemode = t.livemode and k.email = current_setting('app.f_contact_email'))`);
  }
  const sql = `copy (${SELECT} ${where.map((clause) => `and ${clause}`).join(' ')}
    order by t.created_at desc, t.id desc) to stdout with (format csv, header)`;

  const client = knex.client as {
    acquireConnection(): Promise<pg.Client>;
    releaseConnection(connection: pg.Client): Promise<void>;
  };
  const connection = await client.acquireConnection();
  let finished = false;
  const release = async (outcome: 'commit' | 'rollback') => {
    if (finished) return;
    finished = true;
    try {
      await connection.query(outcome);
    } catch {
      // A connection that cannot even roll back is not given back to the pool for reuse.
      (connection as unknown as { __knex__disposed?: unknown }).__knex__disposed = 'csv export failed';
    } finally {
      await client.releaseConnection(connection);
    }
  };
  try {
    await connection.query('begin read only');
    const names = Object.keys(settings);
    await connection.query(
      `select ${names.map((_, index) => `set_config($${index * 2 + 1}, $${index * 2 + 2}, true)`).join(', ')}`,
      names.flatMap((name) => [name, settings[name]!]),
    );
  } catch (error) {
    await release('rollback');
    throw error;
  }
  const copy = connection.query(copyTo(sql));
  const output = new PassThrough();
  let cancelled = false;
  copy.on('error', (error) => {
    void release('rollback');
    if (!cancelled) output.destroy(error);
  });
  copy.on('end', () => void release('commit'));
  output.on('close', () => {
    // The client went away mid-export: cancel the COPY (its error then rolls back and frees the
    // connection) rather than streaming the rest of the table into nowhere.
    if (!finished && !cancelled) {
      cancelled = true;
      copy.unpipe(output);
      copy.resume();
      knex
        .raw('select pg_cancel_backend(?)', [(connection as unknown as { processID: number }).processID])
        .catch(() => undefined);
    }
  });
  return copy.pipe(output);
}
