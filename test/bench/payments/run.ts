/**
 * test/bench/payments: POST /v1/payments against the Stripe sandbox at zero latency, and, in the same
 * run, the same SQL the relay issues per payment sent directly with `pg` at the same concurrency.
 * The relay, the sandbox and the load generator run as separate processes.
 *
 *   npm run bench:payments -- [--payments=3000] [--concurrency=16] [--warm-up=3000] [--rounds=5]
 *                             [--vacuum=false] [--sandbox-state=true] [--build=false]
 *                             [--statements=true]
 *
 * After the same warm-up on both sides, it runs `rounds` rounds of `payments` payments through the
 * relay and as many baseline transactions, alternating which side goes first, each round on freshly
 * vacuumed tables, and prints every round's ratio and the median.
 *
 * `--sandbox-state=true` runs the sandbox as `npm start` does, keeping its objects in a state file
 * (written in batched snapshots), to show what that costs the payment path.
 *
 * `--statements=true` prints, per side and round, every statement PostgreSQL ran (pg_stat_statements:
 * calls per payment, mean execution time, shared buffers), background work included.
 *
 * `--build=false` runs the relay and sandbox from source instead of compiling them first: how
 * `npm test` runs this bench with tiny counts (test/bench/benches-alive.test.ts), nothing built.
 *
 * PostgreSQL comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
 * database is created for the run and dropped after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import pg from 'pg';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { createCardPaymentMethod } from '../../../relay/src/testing/payment-fixtures.js';
import { formatRow, median, runConcurrently } from '../support/measure.js';
import { freePort, startProcess } from '../support/processes.js';
import { baselineSide, relaySide, type Round } from './sides.js';
import { UNTHROTTLED_RELAY_ENV } from '../support/unthrottled-relay-env.js';
import { printStatements, statementStats } from './statement-stats.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const total = Number(args.payments ?? 3000);
const warmUp = Number(args['warm-up'] ?? 3000);
const rounds = Math.max(1, Number(args.rounds ?? 5));
const vacuumBetweenRounds = args.vacuum !== 'false';
const concurrency = Number(args.concurrency ?? 16);
const showStatements = args.statements === 'true';
const stateDir =
  args['sandbox-state'] === 'true' ? mkdtempSync(path.join(os.tmpdir(), 'bench-sandbox-')) : undefined;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `onepagepay_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

// Measure what production runs: the compiled relay and sandbox (their bins use dist/ when present).
if (args.build !== 'false') {
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'packages/protocol', 'packages/sandbox', 'relay'],
    { stdio: 'inherit' },
  );
}

const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
await admin.raw(`create database "${databaseName}"`);
const stripePort = await freePort();
const relayPort = await freePort();
const stripeUrl = `http://127.0.0.1:${stripePort}`;
const relayUrl = `http://127.0.0.1:${relayPort}`;
const sandbox = await startProcess(
  'packages/sandbox/bin/onepagepay-sandbox.js',
  [
    '--stripe-port',
    String(stripePort),
    ...(stateDir ? ['--stripe-state', path.join(stateDir, 'stripe.json')] : []),
  ],
  {},
  `${stripeUrl}/js/stripe.js`,
);
const relay = await startProcess(
  'relay/bin/onepagepay-relay.js',
  ['serve'],
  {
    PORT: String(relayPort),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    STRIPE_API_BASE: stripeUrl,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_bench',
    ...UNTHROTTLED_RELAY_ENV,
  },
  `${relayUrl}/readyz`,
);
const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
try {
  const tenant = await createTenant(knex, { name: 'Bench', origins: ['https://shop.example.com'] });
  const form = await createForm(knex, {
    tenantId: tenant.id,
    hubspotFormGuid: randomUUID(),
    productName: 'Workshop ticket',
    currency: 'USD',
    amount: 4900,
  });
  console.log(
    `# payments bench: ${rounds} rounds of ${total} payments after ${warmUp} warm-up, concurrency ${concurrency}, ` +
      `PostgreSQL${vacuumBetweenRounds ? ', vacuumed between rounds' : ''}, relay/sandbox/load in separate processes` +
      (stateDir ? ', sandbox keeping a state file' : ''),
  );
  const paymentMethods: string[] = [];
  await runConcurrently(rounds * total + warmUp, 8, async () => {
    paymentMethods.push(await createCardPaymentMethod(stripeUrl, 'pk_test_bench', '4242424242424242'));
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const viaRelay = relaySide({
    relayUrl,
    origin: 'https://shop.example.com',
    tenantId: tenant.id,
    hubspotFormGuid: form.hubspotFormGuid,
    paymentMethods,
    concurrency,
    pids: { relay: relay.child.pid, sandbox: sandbox.child.pid },
  });
  const direct = baselineSide({ pool, tenantId: tenant.id, formId: form.id, concurrency });

  // The same warm-up on both sides: V8 compiles the relay's and the pg client's hot paths, and both
  // open their pools. The relay has far more code to optimise: its CPU per payment kept falling for
  // a few thousand payments (1.38 ms after 100, about 0.9 after 1,000, 0.75 after 3,000 and on).
  if (warmUp > 0) {
    await viaRelay(warmUp);
    await direct(warmUp);
  }
  const statements = showStatements ? await statementStats(knex) : undefined;
  /** One side's round; with --statements=true, also what each statement cost it. */
  const measured = async (label: string, side: typeof direct) => {
    await statements?.reset();
    const round = await side(total);
    if (statements) printStatements(`statements, ${label}`, await statements.read(total));
    return round;
  };
  const results: Array<{ relay: Round; baseline: Round }> = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Without this, dead rows pile up faster than autovacuum's one-minute naptime clears them, and
    // whichever side runs later pays for the bloat (or for the autovacuum pass, when it lands).
    if (vacuumBetweenRounds)
      await knex.raw('vacuum analyze transactions, contacts, outbox, payment_throttle');
    // Alternating which side goes first keeps drift (caches, checkpoints) off one side.
    const relayFirst = round % 2 === 1;
    const first = await measured(relayFirst ? 'relay' : 'baseline', relayFirst ? viaRelay : direct);
    const second = await measured(relayFirst ? 'baseline' : 'relay', relayFirst ? direct : viaRelay);
    const result = relayFirst ? { relay: first, baseline: second } : { relay: second, baseline: first };
    results.push(result);
    printRound(`round ${round}`, result);
  }
  await pool.end();
  const ratios = results.map(({ relay: r, baseline: b }) => r.rate / b.rate);
  const medianOf = (pick: (result: { relay: Round; baseline: Round }) => number) => median(results.map(pick));
  console.log(
    formatRow('relay POST /v1/payments, median', {
      'payments/s': medianOf((r) => r.relay.rate),
      p50_ms: medianOf((r) => r.relay.p50Ms),
      p99_ms: medianOf((r) => r.relay.p99Ms),
    }),
  );
  console.log(
    formatRow('baseline: same SQL via pg, median', {
      'tx/s': medianOf((r) => r.baseline.rate),
      p50_ms: medianOf((r) => r.baseline.p50Ms),
      p99_ms: medianOf((r) => r.baseline.p99Ms),
    }),
  );
  console.log(
    formatRow('ratio relay / baseline', {
      median: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      target: '>= 0.7',
    }),
  );
} finally {
  await knex.destroy();
  await relay.stop();
  await sandbox.stop();
  await admin.raw(`drop database if exists "${databaseName}" with (force)`);
  await admin.destroy();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}

function printRound(label: string, { relay: r, baseline: b }: { relay: Round; baseline: Round }) {
  console.log(formatRow(`${label}: relay`, { 'payments/s': r.rate, p50_ms: r.p50Ms, p99_ms: r.p99Ms }));
  console.log(formatRow(`${label}: baseline`, { 'tx/s': b.rate, p50_ms: b.p50Ms, p99_ms: b.p99Ms }));
  console.log(formatRow(`${label}: CPU ms/payment, relay`, r.cpu));
  console.log(formatRow(`${label}: CPU ms/tx, baseline`, b.cpu));
  console.log(formatRow(`${label}: ratio`, { ratio: r.rate / b.rate }));
}
