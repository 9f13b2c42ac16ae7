/**
 * test/bench/hubspot-sync: how close the HubSpot worker gets to the ceiling a rate limit allows.
 *
 *   node --conditions=@onepagepay/source --import tsx test/bench/hubspot-sync/run.ts \
 *     [--records=20000] [--max=100] [--window-ms=1000] [--closed-tab-percent=5]
 *
 * The HubSpot sandbox runs in its own process with its limit scaled (default 100 calls per second instead of per 10 s).
 * Each batch of 100 transactions costs 5 calls (contacts, deals and line items upserts, two
 * association batches), so the ceiling is max / window × 100 / 5 records per second. Paid
 * transactions and their outbox rows are inserted in bulk first (this measures the push, not the
 * payment path), 5 % of them without a reported form submission (each of those also gets a
 * server-side submission job, not due during the run); the database is an in-memory PGlite, or
 * PostgreSQL with TEST_DATABASE_URL.
 * Prints records/s (overall, and in steady state after the first window's burst) against the
 * ceiling, and the share of calls HubSpot answered with 429.
 */
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../relay/src/config.js';
import { inTenantTransaction } from '../../../relay/src/db/tenant-scope.js';
import { createHubSpotClientFactory } from '../../../relay/src/hubspot/client-factory.js';
import { saveConnection } from '../../../relay/src/hubspot/connection-store.js';
import { preparePortal } from '../../../relay/src/hubspot/connect.js';
import { HubSpotSyncWorker } from '../../../relay/src/hubspot/sync-worker.js';
import { TokenCipher } from '../../../relay/src/hubspot/token-cipher.js';
import { createLogger } from '../../../relay/src/logger.js';
import { createTestDatabase } from '../../../relay/src/testing/test-database.js';
import { seedTenantWithForm } from '../../../relay/src/testing/payment-fixtures.js';
import { formatRow } from '../support/measure.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const records = Number(args.records ?? 20000);
const maxPerWindow = Number(args.max ?? 100);
const windowMs = Number(args['window-ms'] ?? 1000);
const closedTabPercent = Number(args['closed-tab-percent'] ?? 5);
const CALLS_PER_BATCH = 5;
const ceiling = (maxPerWindow / (windowMs / 1000)) * (100 / CALLS_PER_BATCH);

const hubspot = await startSandboxProcess();
const database = await createTestDatabase();
const owner = database.knex;
const appKnex = (database.app ?? database).knex;
const config = loadConfig({
  HUBSPOT_API_BASE: hubspot.url,
  ONEPAGEPAY_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 9).toString('base64')}`,
  HUBSPOT_WORKER_CLAIM_LIMIT: args.claim ?? '1000',
  HUBSPOT_WORKER_POLL_MS: '20',
  LOG_LEVEL: 'silent',
});
const logger = createLogger({ level: 'silent' });
const cipher = new TokenCipher(config.encryptionKeys);
const clientFactory = createHubSpotClientFactory(new URL(hubspot.url));

const { tenant, form } = await seedTenantWithForm(owner);
const scope = { tenantId: tenant.id, livemode: false };
const { portalId, accessToken } = (await hubspot.ask({ type: 'createPortal' })) as {
  portalId: number;
  accessToken: string;
};
await saveConnection(owner, cipher, scope, { portalId, authKind: 'private_app', accessToken });
await preparePortal({ knex: appKnex, cipher, clientFactory, hubspot: config.hubspot, logger }, scope);

console.log(`inserting ${records} paid transactions on ${database.kind} ...`);
for (let offset = 0; offset < records; offset += 1000) {
  const count = Math.min(1000, records - offset);
  await inTenantTransaction(owner, scope, async (trx) => {
    const contacts = await trx('contacts')
      .insert(
        Array.from({ length: count }, (_, index) => ({
          tenant_id: tenant.id,
          livemode: false,
          email: `bench${offset + index}@example.com`,
          first_name: 'Bench',
          last_name: `Payer ${offset + index}`,
        })),
      )
      .returning('id');
    const transactions = await trx('transactions')
      .insert(
        contacts.map((contact: { id: string }, index: number) => ({
          tenant_id: tenant.id,
          livemode: false,
          form_id: form.id,
          contact_id: contact.id,
          attempt_id: `att_bench_${offset + index}_${randomUUID().slice(0, 8)}`,
          request_fingerprint: 'bench',
          amount: 4900,
          currency: 'USD',
          product_name: form.productName,
          provider: 'stripe',
          provider_payment_id: `pi_bench_${offset + index}`,
          status: 'succeeded',
          // As PAYMENT_SQL.enqueueOutbox marks it when it queues the job below.
          hubspot_sync_state: 'pending',
          // Most payers' pages report the form submission within seconds, before the push; the
          // rest (closed tabs) get a server-side submission job queued by the push.
          ...((offset + index) % 100 < closedTabPercent
            ? {}
            : { form_submitted_at: new Date(), form_submitted_by: 'browser' }),
        })),
      )
      .returning('id');
    await trx('outbox').insert(
      transactions.map((transaction: { id: string }) => ({
        tenant_id: tenant.id,
        livemode: false,
        topic: 'hubspot.transaction',
        dedupe_key: `hubspot.transaction:${transaction.id}:succeeded:0`,
        transaction_id: transaction.id,
        payload: JSON.stringify({ reason: 'succeeded:0' }),
      })),
    );
  });
}

await hubspot.ask({ type: 'resetStats' });
let syncedByRounds = 0;
const worker = new HubSpotSyncWorker({
  knex: appKnex,
  cipher,
  clientFactory,
  // Progress comes from the worker's own round log, so measuring adds no database queries.
  logger: createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { msg?: string; synced?: number };
          if (entry.msg !== 'hubspot sync round') console.error(line.slice(0, 400));
          syncedByRounds += entry.synced ?? 0;
        }
        callback();
      },
    }),
  }),
  hubspot: config.hubspot,
});
const startedAt = performance.now();
worker.start();
// The first window's worth of calls goes out in a burst (HubSpot's window starts empty), so the
// rate is measured from the moment a full window's records are synced to the end: steady state.
const warmRecords = Math.min(records / 2, (maxPerWindow * 100) / CALLS_PER_BATCH);
let warmAt: { time: number; synced: number } | undefined;
let synced = 0;
while (synced < records) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  synced = syncedByRounds;
  if (!warmAt && synced >= warmRecords) warmAt = { time: performance.now(), synced };
}
const endedAt = performance.now();
await worker.stop();
const elapsedS = (endedAt - startedAt) / 1000;
const steady = warmAt ? (records - warmAt.synced) / ((endedAt - warmAt.time) / 1000) : NaN;
const [syncedRow] = await owner('transactions')
  .where({ tenant_id: tenant.id, hubspot_sync_state: 'synced' })
  .count('* as count');
if (Number(syncedRow?.count) !== records) throw new Error(`only ${String(syncedRow?.count)} synced`);
const stats = (await hubspot.ask({ type: 'stats' })) as { requests: number; rateLimited: number };
console.log(
  formatRow('hubspot push', {
    records,
    'closed tabs %': closedTabPercent,
    seconds: elapsedS,
    'overall records/s': records / elapsedS,
    'steady records/s': steady,
    ceiling,
    'of ceiling %': (100 * steady) / ceiling,
    requests: stats.requests,
    '429s': stats.rateLimited,
    '429 %': (100 * stats.rateLimited) / stats.requests,
    deals: Number(await hubspot.ask({ type: 'dealCount', portalId })),
  }),
);
await database.close();
hubspot.close();

/** Forks sandbox-process.ts and talks to it over IPC. */
async function startSandboxProcess() {
  const child = fork(new URL('./sandbox-process.ts', import.meta.url), {
    execArgv: ['--conditions=@onepagepay/source', '--import', 'tsx'],
    env: { ...process.env, BENCH_MAX_PER_WINDOW: String(maxPerWindow), BENCH_WINDOW_MS: String(windowMs) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code}`)));
  });
  let next = 0;
  const pending = new Map<number, (answer: unknown) => void>();
  child.on('message', (message: { id?: number; answer?: unknown }) => {
    if (message.id !== undefined) pending.get(message.id)?.(message.answer);
  });
  return {
    url,
    ask(request: Record<string, unknown>): Promise<unknown> {
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ ...request, id });
      });
    },
    close: () => child.disconnect(),
  };
}
