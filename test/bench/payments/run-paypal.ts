/**
 * test/bench/payments, PayPal: create + capture through the relay (POST /v1/paypal/orders, the
 * buyer's approval, POST /v1/paypal/orders/:id/capture) against the PayPal sandbox at zero latency,
 * and in the same run the same SQL the relay issues per PayPal payment sent directly with `pg`
 * (paypal-sql.ts) at the same concurrency.
 *
 *   npm run bench:payments:paypal -- [--payments=1000] [--concurrency=16] [--warm-up=1000] [--rounds=3]
 *                                    [--build=false]
 *
 * The relay runs as its own process (compiled); the PayPal sandbox runs in the load generator's
 * process, since the approval is a direct call on it, as the buyer's browser would make.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import pg from 'pg';
import { startPayPalSandbox } from '@onepagepay/sandbox';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { paypalEnvFor, paypalOrderRequest } from '../../../relay/src/testing/paypal-fixtures.js';
import { formatRow, median, percentile, runConcurrently } from '../support/measure.js';
import { freePort, startProcess } from '../support/processes.js';
import { issueRelaySqlForOnePayPalPayment } from './paypal-sql.js';
import { UNTHROTTLED_RELAY_ENV } from '../support/unthrottled-relay-env.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const total = Number(args.payments ?? 1000);
const warmUp = Number(args['warm-up'] ?? 1000);
const rounds = Math.max(1, Number(args.rounds ?? 3));
const concurrency = Number(args.concurrency ?? 16);
const origin = 'https://shop.example.com';
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `onepagepay_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

// `--build=false` runs the relay from source (how `npm test` runs this bench with tiny counts).
if (args.build !== 'false') {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/protocol', 'relay'], {
    stdio: 'inherit',
  });
}
const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
await admin.raw(`create database "${databaseName}"`);
const paypal = await startPayPalSandbox();
const relayPort = await freePort();
const relayUrl = `http://127.0.0.1:${relayPort}`;
const relay = await startProcess(
  'relay/bin/onepagepay-relay.js',
  ['serve'],
  {
    PORT: String(relayPort),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ...UNTHROTTLED_RELAY_ENV,
    ...paypalEnvFor(paypal),
  },
  `${relayUrl}/readyz`,
);
const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${relayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

interface Round {
  rate: number;
  p50Ms: number;
  p99Ms: number;
}

function summarize(run: { latenciesMs: number[]; elapsedMs: number }, count: number): Round {
  return {
    rate: (count / run.elapsedMs) * 1000,
    p50Ms: percentile(run.latenciesMs, 50),
    p99Ms: percentile(run.latenciesMs, 99),
  };
}

try {
  const tenant = await createTenant(knex, { name: 'Bench', origins: [origin] });
  const form = await createForm(knex, {
    tenantId: tenant.id,
    hubspotFormGuid: randomUUID(),
    productName: 'Workshop ticket',
    currency: 'USD',
    amount: 4900,
    providers: ['paypal'],
  });
  const viaRelay = async (count: number): Promise<Round> => {
    const run = await runConcurrently(count, concurrency, async () => {
      const request = paypalOrderRequest(tenant.id, form.hubspotFormGuid);
      const order = await post('/v1/paypal/orders', request);
      paypal.approveOrder(order.orderId as string);
      const paid = await post(`/v1/paypal/orders/${String(order.orderId)}/capture`, {
        tenantId: tenant.id,
        attemptId: request.attemptId,
      });
      if (paid.status !== 'succeeded') throw new Error(`capture answered ${JSON.stringify(paid)}`);
    });
    return summarize(run, count);
  };
  const direct = async (count: number): Promise<Round> => {
    const run = await runConcurrently(count, concurrency, (index) =>
      issueRelaySqlForOnePayPalPayment(pool, {
        tenantId: tenant.id,
        formId: form.id,
        index,
        id: randomUUID(),
      }),
    );
    return summarize(run, count);
  };
  console.log(
    `# PayPal payments bench: ${rounds} rounds of ${total} after ${warmUp} warm-up, concurrency ${concurrency}`,
  );
  if (warmUp > 0) {
    await viaRelay(warmUp);
    await direct(warmUp);
  }
  const ratios: number[] = [];
  const relayRates: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    await knex.raw('vacuum analyze transactions, contacts, outbox');
    const relayFirst = round % 2 === 1;
    const first = await (relayFirst ? viaRelay : direct)(total);
    const second = await (relayFirst ? direct : viaRelay)(total);
    const [r, b] = relayFirst ? [first, second] : [second, first];
    console.log(
      formatRow(`round ${round}: relay create+capture`, {
        'payments/s': r.rate,
        p50_ms: r.p50Ms,
        p99_ms: r.p99Ms,
      }),
    );
    console.log(
      formatRow(`round ${round}: baseline SQL`, { 'tx/s': b.rate, p50_ms: b.p50Ms, p99_ms: b.p99Ms }),
    );
    ratios.push(r.rate / b.rate);
    relayRates.push(r.rate);
  }
  console.log(formatRow('PayPal: relay payments/s, median', { 'payments/s': median(relayRates) }));
  console.log(
    formatRow('PayPal: ratio relay / baseline', {
      median: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
    }),
  );
} finally {
  await pool.end();
  await knex.destroy();
  await relay.stop();
  await paypal.close();
  await admin.raw(`drop database if exists "${databaseName}" with (force)`);
  await admin.destroy();
}
