/**
 * test/bench/payments: POST /v1/payments against the Stripe sandbox at zero latency, and, in the same
 * run, the same SQL the relay issues per payment sent directly with `pg` at the same concurrency.
 * The relay, the sandbox and the load generator run as separate processes.
 *
 *   npm run bench:payments -- [--payments=2000] [--concurrency=16] [--warm-up=100]
 *
 * PostgreSQL comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
 * database is created for the run and dropped after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import pg from 'pg';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { createCardPaymentMethod, paymentRequest } from '../../../relay/src/testing/payment-fixtures.js';
import { machineBusyMs, postgresCpuMs, processCpuMs } from '../support/cpu.js';
import { postJsonLoad } from '../support/http-load.js';
import { formatRow, percentile, runConcurrently } from '../support/measure.js';
import { freePort, startProcess } from '../support/processes.js';
import { issueRelaySqlForOnePayment } from './relay-sql.js';

/** What each side of the run costs in CPU, so the ratio can be explained and not only printed. */
function cpuSnapshot(pids: { relay?: number; sandbox?: number }) {
  const sum = (cpu: { user: number; system: number }) => cpu.user + cpu.system;
  const self = process.cpuUsage();
  return {
    relay: pids.relay ? processCpuMs(pids.relay) : { user: 0, system: 0 },
    sandbox: pids.sandbox ? sum(processCpuMs(pids.sandbox)) : 0,
    client: (self.user + self.system) / 1000,
    postgres: postgresCpuMs(),
    machine: machineBusyMs(),
  };
}

function cpuPerPayment(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  count: number,
) {
  const per = (a: number, b: number) => (b - a) / count;
  return {
    relay_user: per(before.relay.user, after.relay.user),
    relay_sys: per(before.relay.system, after.relay.system),
    sandbox: per(before.sandbox, after.sandbox),
    client: per(before.client, after.client),
    postgres: per(before.postgres, after.postgres),
    machine: per(before.machine, after.machine),
  };
}

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const total = Number(args.payments ?? 2000);
const warmUp = Number(args['warm-up'] ?? 100);
const concurrency = Number(args.concurrency ?? 16);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `onepagepay_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

// Measure what production runs: the compiled relay and sandbox (their bins use dist/ when present).
execFileSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-b', 'packages/protocol', 'packages/sandbox', 'relay'],
  { stdio: 'inherit' },
);

const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
await admin.raw(`create database "${databaseName}"`);
const stripePort = await freePort();
const relayPort = await freePort();
const stripeUrl = `http://127.0.0.1:${stripePort}`;
const relayUrl = `http://127.0.0.1:${relayPort}`;
const sandbox = await startProcess(
  'packages/sandbox/bin/onepagepay-sandbox.js',
  ['--stripe-port', String(stripePort)],
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
    RATE_LIMIT_PAYMENTS_PER_MINUTE: '10000000',
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
    `# payments bench: ${total} payments, concurrency ${concurrency}, PostgreSQL, relay/sandbox/load in separate processes`,
  );
  const paymentMethods: string[] = [];
  await runConcurrently(total + warmUp, 8, async () => {
    paymentMethods.push(await createCardPaymentMethod(stripeUrl, 'pk_test_bench', '4242424242424242'));
  });
  const payments = (count: number, offset: number) =>
    postJsonLoad({
      url: relayUrl,
      path: '/v1/payments',
      headers: { origin: 'https://shop.example.com' },
      total: count,
      concurrency,
      body: (index) =>
        paymentRequest(tenant.id, form.hubspotFormGuid, paymentMethods[offset + index] as string, {
          contact: {
            email: `payer${offset + index}@bench.example`,
            firstName: 'Bench',
            lastName: `Payer${offset + index}`,
          },
        }),
      isExpected: (status, body) => status === 200 && body.includes('"status":"succeeded"'),
    });
  if (warmUp > 0) await payments(warmUp, total);

  const pids = { relay: relay.child.pid, sandbox: sandbox.child.pid };
  const relayCpuBefore = cpuSnapshot(pids);
  const viaRelay = await payments(total, 0);
  const relayCpu = cpuPerPayment(relayCpuBefore, cpuSnapshot(pids), total);

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const baselineTransaction = (index: number) =>
    issueRelaySqlForOnePayment(pool, { tenantId: tenant.id, formId: form.id, index, id: randomUUID() });
  // The same warm-up as the relay's: open the pool's connections and let V8 compile the pg client.
  await runConcurrently(warmUp, concurrency, (index) => baselineTransaction(total + index));
  const baselineCpuBefore = cpuSnapshot({});
  const direct = await runConcurrently(total, concurrency, baselineTransaction);
  const baselineCpu = cpuPerPayment(baselineCpuBefore, cpuSnapshot({}), total);
  await pool.end();
  const baselineRate = (total / direct.elapsedMs) * 1000;

  console.log(
    formatRow('relay POST /v1/payments', {
      'payments/s': viaRelay.rate,
      p50_ms: viaRelay.p50Ms,
      p99_ms: viaRelay.p99Ms,
    }),
  );
  console.log(
    formatRow('baseline: same SQL via pg', {
      'tx/s': baselineRate,
      p50_ms: percentile(direct.latenciesMs, 50),
      p99_ms: percentile(direct.latenciesMs, 99),
    }),
  );
  console.log(formatRow('CPU ms per payment, relay run', relayCpu));
  console.log(formatRow('CPU ms per tx, baseline run', baselineCpu));
  console.log(formatRow('ratio relay / baseline', { ratio: viaRelay.rate / baselineRate, target: '>= 0.5' }));
} finally {
  await knex.destroy();
  await relay.stop();
  await sandbox.stop();
  await admin.raw(`drop database if exists "${databaseName}" with (force)`);
  await admin.destroy();
}
