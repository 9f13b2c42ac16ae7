/**
 * test/bench/payments: POST /v1/payments against the Stripe sandbox at zero latency, and, in the same
 * run, the same SQL the relay issues per payment sent directly with `pg` at the same concurrency.
 * The relay, the sandbox and the load generator run as separate processes.
 *
 *   npm run bench:payments -- [--payments=2000] [--concurrency=16]
 *
 * PostgreSQL comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a
 * database is created for the run and dropped after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import knexFactory from 'knex';
import pg from 'pg';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { createCardPaymentMethod, paymentRequest } from '../../../relay/src/testing/payment-fixtures.js';
import { createJsonPoster } from '../support/http-client.js';
import { formatRow, percentile, runConcurrently } from '../support/measure.js';
import { freePort, startProcess } from '../support/processes.js';
import { issueRelaySqlForOnePayment } from './relay-sql.js';

/** CPU time (user + system) a process has used so far, from /proc, in milliseconds. */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const total = Number(args.payments ?? 2000);
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
  await runConcurrently(total + 100, 8, async () => {
    paymentMethods.push(await createCardPaymentMethod(stripeUrl, 'pk_test_bench', '4242424242424242'));
  });
  const post = createJsonPoster(relayUrl, { origin: 'https://shop.example.com' }, concurrency);
  const pay = async (index: number) => {
    const response = await post(
      '/v1/payments',
      paymentRequest(tenant.id, form.hubspotFormGuid, paymentMethods[index] as string, {
        contact: { email: `payer${index}@bench.example`, firstName: 'Bench', lastName: `Payer${index}` },
      }),
    );
    if (response.body.status !== 'succeeded')
      throw new Error(`payment ${index}: ${JSON.stringify(response.body)}`);
  };
  await runConcurrently(100, concurrency, (index) => pay(total + index)); // warm-up

  const cpuBefore = [cpuMs(relay.child.pid), cpuMs(sandbox.child.pid), process.cpuUsage()] as const;
  const viaRelay = await runConcurrently(total, concurrency, pay);
  const loadCpu = process.cpuUsage(cpuBefore[2]);
  const cpuPerPayment = {
    relay_ms: (cpuMs(relay.child.pid) - cpuBefore[0]) / total,
    sandbox_ms: (cpuMs(sandbox.child.pid) - cpuBefore[1]) / total,
    load_generator_ms: (loadCpu.user + loadCpu.system) / 1000 / total,
  };
  const relayRate = (total / viaRelay.elapsedMs) * 1000;

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const direct = await runConcurrently(total, concurrency, (index) =>
    issueRelaySqlForOnePayment(pool, {
      tenantId: tenant.id,
      formId: form.id,
      index,
      id: randomUUID(),
    }),
  );
  await pool.end();
  const baselineRate = (total / direct.elapsedMs) * 1000;

  console.log(
    formatRow('relay POST /v1/payments', {
      'payments/s': relayRate,
      p50_ms: percentile(viaRelay.latenciesMs, 50),
      p99_ms: percentile(viaRelay.latenciesMs, 99),
    }),
  );
  console.log(
    formatRow('baseline: same SQL via pg', {
      'tx/s': baselineRate,
      p50_ms: percentile(direct.latenciesMs, 50),
      p99_ms: percentile(direct.latenciesMs, 99),
    }),
  );
  console.log(formatRow('CPU per payment (ms)', cpuPerPayment));
  console.log(formatRow('ratio relay / baseline', { ratio: relayRate / baselineRate, target: '>= 0.5' }));
} finally {
  await knex.destroy();
  await relay.stop();
  await sandbox.stop();
  await admin.raw(`drop database if exists "${databaseName}" with (force)`);
  await admin.destroy();
}
