/**
 * Merchant API benchmark on PostgreSQL: seeds 1,000,000 transactions for one tenant, then measures
 * the list endpoint (first page and a page deep in the keyset) and the CSV export through the real
 * relay over HTTP, against a baseline measured in the same run: the same keyset SQL issued directly
 * with `pg`. Not part of `npm test`:
 *
 *   node --conditions=@onepagepay/source --import tsx test/bench/merchant-api/run.ts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is an admin connection;
 * a database is created for the run and dropped after. BENCH_ROWS changes the row count,
 * BENCH_SAMPLES the samples per series and BENCH_WARM_UP the warm-up requests before each.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../../../relay/src/config.js';
import { createLogger } from '../../../relay/src/logger.js';
import { createApiKey } from '../../../relay/src/merchants/api-keys.js';
import { encodeCursor } from '../../../relay/src/merchants/cursor.js';
import { startRelay } from '../../../relay/src/server.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTestDatabase } from '../../../relay/src/testing/test-database.js';
import { APP_ROLE } from '../../../relay/src/db/row-security.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 100);
process.env.TEST_DATABASE_URL ??=
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const database = await createTestDatabase();
const owner = database.knex;
const tenant = await createTenant(owner, { name: 'Bench merchant', origins: [] });
const other = await createTenant(owner, { name: 'Neighbour', origins: [] });
const scope = { tenantId: tenant.id, livemode: false };

console.log(`seeding ${ROWS.toLocaleString('en')} transactions (generate_series)...`);
let started = performance.now();
for (const target of [tenant.id, other.id]) {
  const form = await createForm(owner, {
    tenantId: target,
    hubspotFormGuid: crypto.randomUUID(),
    productName: 'Workshop ticket',
    currency: 'USD',
    amount: 4900,
  });
  await owner.raw(
    `insert into contacts (tenant_id, livemode, email, first_name, last_name)
     select ?, false, 'payer' || g || '@example.com', 'Ada', 'Lovelace' from generate_series(1, 1000) g`,
    [target],
  );
  const rows = target === tenant.id ? ROWS : Math.ceil(ROWS / 10);
  await owner.raw(
    `insert into transactions (tenant_id, livemode, form_id, contact_id, attempt_id, request_fingerprint, amount,
       currency, product_name, provider, provider_payment_id, status, hubspot_sync_state, created_at, updated_at)
     select ?, g % 10 = 0, ?, c.ids[1 + g % 1000], 'att_bench_' || g, 'bench', 100 + g % 9000, 'USD',
       'Workshop ticket', 'stripe', 'pi_bench_' || g, (array['succeeded','failed','refunded'])[1 + g % 3],
       (array['synced','pending',null])[1 + g % 3], now() - g * interval '1 second', now()
       from generate_series(1, ?) g,
            (select array_agg(id) as ids from contacts where tenant_id = ?) c`,
    [target, form.id, rows, target],
  );
}
// A steady table, as autovacuum leaves it: visibility map set and hint bits written, so the first
// measured reads do not pay for the bulk load's first-touch writes.
await owner.raw('vacuum analyze');
console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', STATUS_CACHE_MS: '0' });
const relay = await startRelay({
  config,
  logger: createLogger({ level: 'silent' }),
  database: database.app ?? database,
  migrate: false,
});
const key = await createApiKey(
  owner,
  scope,
  { name: 'bench', scopes: ['transactions:read'], createdBy: null },
  {
    type: 'cli',
    id: 'bench',
    ip: null,
    userAgent: null,
  },
);
const headers = { authorization: `Bearer ${key.secret}` };

// A position 90% of the way down the test-mode listing.
const deepRow = (
  await owner.raw(
    `select created_at::text as at, id from transactions where tenant_id = ? and livemode = false
     order by created_at desc, id desc offset ? limit 1`,
    [tenant.id, Math.floor(ROWS * 0.9 * 0.9)],
  )
).rows[0] as { at: string; id: string };
const deepCursor = encodeCursor(scope, { createdAt: deepRow.at, id: deepRow.id });

const appUrl = new URL(process.env.TEST_DATABASE_URL);
appUrl.pathname = new URL((database.app ?? database).connectionString ?? '').pathname || appUrl.pathname;
appUrl.username = APP_ROLE;
const direct = new pg.Pool({ connectionString: appUrl.toString(), max: 2 });
const LIST_SQL = `select t.id, t.livemode, t.status, t.amount, t.amount_refunded, t.currency, t.product_name, t.form_id,
    t.contact_id, t.provider, t.provider_payment_id, t.failure_code, t.decline_code, t.hubspot_sync_state, t.page_uri,
    t.created_at, t.updated_at, c.email as contact_email, t.created_at::text as cursor_at
  from transactions t left join contacts c on c.tenant_id = t.tenant_id and c.id = t.contact_id
  where t.tenant_id = $1 and t.livemode = false AND_AFTER
  order by t.created_at desc, t.id desc limit $LIMIT`;

async function sqlPage(after?: { at: string; id: string }, limit = 101) {
  const client = await direct.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('app.tenant_id', $1, true), set_config('app.livemode', 'false', true),
      set_config('app.livemode_enforced', 'on', true)`,
      [tenant.id],
    );
    const sql = LIST_SQL.replace(
      'AND_AFTER',
      after ? 'and (t.created_at, t.id) < ($2::timestamptz, $3::uuid)' : '',
    ).replace('$LIMIT', String(limit));
    const result = await client.query(sql, after ? [tenant.id, after.at, after.id] : [tenant.id]);
    await client.query('commit');
    return result.rows;
  } finally {
    client.release();
  }
}

async function timed(label: string, run: () => Promise<unknown>) {
  for (let i = 0; i < WARM_UP; i += 1) await run(); // warm-up: JIT, connection pools, caches
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const at = performance.now();
    await run();
    samples.push(performance.now() - at);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { label, p50: pick(0.5), p99: pick(0.99) };
}

async function httpJson(path: string) {
  const response = await fetch(`${relay.url}${path}`, { headers });
  const body = (await response.json()) as { data: unknown[] };
  if (response.status !== 200 || body.data.length !== 100)
    throw new Error(`unexpected answer ${response.status}`);
}

const results = [
  await timed('list first page (HTTP)', () => httpJson('/v1/transactions?limit=100')),
  await timed('list first page (SQL baseline)', () => sqlPage(undefined)),
  await timed('list deep cursor (HTTP)', () =>
    httpJson(`/v1/transactions?limit=100&cursor=${encodeURIComponent(deepCursor)}`),
  ),
  await timed('list deep cursor (SQL baseline)', () => sqlPage(deepRow)),
  await timed('GET /healthz (HTTP floor)', async () => {
    const response = await fetch(`${relay.url}/healthz`);
    await response.arrayBuffer();
  }),
  await timed('filtered: status+sync (HTTP)', () =>
    httpJson('/v1/transactions?limit=100&status=succeeded&sync_state=synced'),
  ),
];

async function measureCsv() {
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const at = performance.now();
  const response = await fetch(`${relay.url}/v1/transactions.csv`, { headers });
  let rows = -1;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) rows += 1;
  }
  const seconds = (performance.now() - at) / 1000;
  clearInterval(sampler);
  return { rows, seconds, rowsPerSecond: rows / seconds, baseRss, peakRss };
}

async function measureSqlBatches() {
  const at = performance.now();
  let rows = 0;
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const batch = (await sqlPage(after, 5000)) as Array<{ cursor_at: string; id: string }>;
    rows += batch.length;
    const last = batch.at(-1);
    if (batch.length < 5000 || !last) break;
    after = { at: last.cursor_at, id: last.id };
  }
  const seconds = (performance.now() - at) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds };
}

started = performance.now();
const csv = await measureCsv();
const sqlScan = await measureSqlBatches();

const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (value: number) => `${(value / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `\n${ROWS.toLocaleString('en')} transactions for one tenant (${(ROWS * 0.9).toLocaleString('en')} in test mode), PostgreSQL, ${SAMPLES} sequential samples each`,
);
for (const result of results)
  console.log(
    `${result.label.padEnd(34)} p50 ${ms(result.p50).padStart(9)}  p99 ${ms(result.p99).padStart(9)}`,
  );
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
console.log(
  `ratio HTTP/SQL first page           p50 ${ratio(results[0]!.p50, results[1]!.p50)}  p99 ${ratio(results[0]!.p99, results[1]!.p99)}`,
);
console.log(
  `ratio HTTP/SQL deep cursor          p50 ${ratio(results[2]!.p50, results[3]!.p50)}  p99 ${ratio(results[2]!.p99, results[3]!.p99)}`,
);
console.log(
  `CSV export (HTTP)                  ${csv.rows.toLocaleString('en')} rows in ${csv.seconds.toFixed(2)} s = ${Math.round(csv.rowsPerSecond).toLocaleString('en')} rows/s; RSS ${mb(csv.baseRss)} before, peak ${mb(csv.peakRss)}`,
);
console.log(
  `keyset scan (SQL baseline)         ${sqlScan.rows.toLocaleString('en')} rows in ${sqlScan.seconds.toFixed(2)} s = ${Math.round(sqlScan.rowsPerSecond).toLocaleString('en')} rows/s`,
);
console.log(`ratio CSV/SQL rows/s               ${ratio(csv.rowsPerSecond, sqlScan.rowsPerSecond)}`);

await direct.end();
await relay.close();
await database.close();
