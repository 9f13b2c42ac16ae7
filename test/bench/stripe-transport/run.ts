/**
 * test/bench/stripe-transport: what a payment's two Stripe calls (customer create, PaymentIntent
 * create-and-confirm) cost the relay's process in CPU, through the relay's undici transport
 * (StripeUndiciHttpClient) and, as the baseline in the same run, through stripe-node's default
 * `node:http` client. The Stripe sandbox runs in its own process, so only the client side is timed.
 *
 *   node --conditions=@onepagepay/source --import tsx test/bench/stripe-transport/run.ts [--payments=3000] [--rounds=3]
 *     [--warm-up=1000]
 */
import type Stripe from 'stripe';
import { createStripeClient } from '../../../relay/src/payments/providers/stripe/stripe-accounts.js';
import { StripeUndiciHttpClient } from '../../../relay/src/payments/providers/stripe/stripe-http-client.js';
import { createCardPaymentMethod } from '../../../relay/src/testing/payment-fixtures.js';
import { formatRow, median, runConcurrently } from '../support/measure.js';
import { freePort, startProcess } from '../support/processes.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const total = Number(args.payments ?? 3000);
const rounds = Number(args.rounds ?? 3);
const warmUp = Number(args['warm-up'] ?? 1000);
const concurrency = 16;

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const sandbox = await startProcess(
  'packages/sandbox/bin/onepagepay-sandbox.js',
  ['--stripe-port', String(port)],
  {},
  `${url}/js/stripe.js`,
);
const undici = new StripeUndiciHttpClient();
const options = { apiBase: new URL(url), timeoutMs: 20_000 };
const clients = {
  'node:http (stripe default)': createStripeClient('sk_test_bench', options),
  'undici (the relay)': createStripeClient('sk_test_bench', { ...options, httpClient: undici }),
};
try {
  const paymentMethods: string[] = [];
  await runConcurrently(2 * (warmUp + rounds * total), 8, async () => {
    paymentMethods.push(await createCardPaymentMethod(url, 'pk_test_bench', '4242424242424242'));
  });
  let next = 0;
  const payOnce = (stripe: Stripe) => async () => {
    const index = next++;
    const customer = await stripe.customers.create(
      {
        email: `payer${index}@bench.example.com`,
        name: 'Bench Payer',
        metadata: { onepagepay_tenant_id: 't' },
      },
      { idempotencyKey: `bench_cus_${index}` },
    );
    await stripe.paymentIntents.create(
      {
        amount: 4900,
        currency: 'usd',
        customer: customer.id,
        payment_method: paymentMethods[index] as string,
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: { onepagepay_tenant_id: 't', onepagepay_attempt_id: `a${index}` },
      },
      { idempotencyKey: `bench_pi_${index}` },
    );
  };
  const cpuMsPerPayment = async (stripe: Stripe, count: number) => {
    const before = process.cpuUsage();
    await runConcurrently(count, concurrency, payOnce(stripe));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / count;
  };
  for (const stripe of Object.values(clients)) await cpuMsPerPayment(stripe, warmUp);
  const results: Record<string, number[]> = Object.fromEntries(
    Object.keys(clients).map((name) => [name, []]),
  );
  for (let round = 0; round < rounds; round += 1) {
    // Alternate the order so neither client always runs on the sandbox's fuller store.
    const order = round % 2 === 0 ? Object.entries(clients) : Object.entries(clients).reverse();
    for (const [name, stripe] of order) results[name]?.push(await cpuMsPerPayment(stripe, total));
  }
  console.log(
    `# stripe transport bench: ${rounds} rounds of ${total} payments (2 calls each), concurrency ${concurrency}`,
  );
  for (const [name, values] of Object.entries(results)) {
    console.log(formatRow(name, { 'client CPU ms per payment (median)': median(values) }));
  }
  const [baseline, relay] = Object.values(results).map(median) as [number, number];
  console.log(formatRow('ratio undici / node:http', { ratio: relay / baseline }));
} finally {
  await undici.close();
  await sandbox.stop();
}
