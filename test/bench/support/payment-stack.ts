import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { createCardPaymentMethod } from '../../../relay/src/testing/payment-fixtures.js';
import { runConcurrently } from './measure.js';
import { freePort, startProcess } from './processes.js';
import { UNTHROTTLED_RELAY_ENV } from './unthrottled-relay-env.js';

export const BENCH_ORIGIN = 'https://shop.example.com';

/**
 * What a card-payment bench runs against: a database created for the run on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; dropped by `stop`), the
 * Stripe sandbox and the relay each in its own process, one tenant with one form.
 *
 * `build` compiles the relay and sandbox first, to measure what production runs (their bins use
 * dist/ when present); without it they run from source, which is what `npm test` needs (nothing
 * built) and is fine for proving a bench works, not for its figures.
 */
export async function startPaymentStack(options: { build: boolean }) {
  if (options.build) {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-b', 'packages/protocol', 'packages/sandbox', 'relay'],
      { stdio: 'inherit' },
    );
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `onepagepay_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${databaseName}"`);
  const stopped: Array<() => Promise<unknown>> = [
    async () => {
      await admin.raw(`drop database if exists "${databaseName}" with (force)`);
      await admin.destroy();
    },
  ];
  const stop = async () => {
    for (const step of stopped.reverse()) await step();
  };
  try {
    const stripeUrl = `http://127.0.0.1:${await freePort()}`;
    const startSandbox = () =>
      startProcess(
        'packages/sandbox/bin/onepagepay-sandbox.js',
        ['--stripe-port', new URL(stripeUrl).port],
        {},
        `${stripeUrl}/js/stripe.js`,
      );
    let sandbox = await startSandbox();
    stopped.push(() => sandbox.stop());
    const relayUrl = `http://127.0.0.1:${await freePort()}`;
    const relay = await startProcess(
      'relay/bin/onepagepay-relay.js',
      ['serve'],
      {
        PORT: new URL(relayUrl).port,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        STRIPE_API_BASE: stripeUrl,
        STRIPE_SECRET_KEY: 'sk_test_bench',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_bench',
        ...UNTHROTTLED_RELAY_ENV,
      },
      `${relayUrl}/readyz`,
    );
    stopped.push(() => relay.stop());
    const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
    stopped.push(() => knex.destroy());
    const tenant = await createTenant(knex, { name: 'Bench', origins: [BENCH_ORIGIN] });
    const form = await createForm(knex, {
      tenantId: tenant.id,
      hubspotFormGuid: randomUUID(),
      productName: 'Workshop ticket',
      currency: 'USD',
      amount: 4900,
    });
    return {
      databaseUrl,
      stripeUrl,
      relayUrl,
      relay,
      get sandbox() {
        return sandbox;
      },
      knex,
      tenantId: tenant.id,
      form: { id: form.id, hubspotFormGuid: form.hubspotFormGuid },
      /**
       * A new, empty sandbox process on the same port (the relay reconnects). The sandbox keeps every
       * object, as Stripe does, so its heap grows ~9 kB per payment and its garbage collector takes
       * more of a shared machine as a run goes on (docs/benchmarks.md, latency): a phase that
       * measures the relay starts on a sandbox holding only what that phase makes.
       */
      async restartSandbox() {
        await sandbox.stop();
        sandbox = await startSandbox();
      },
      /** `count` new card PaymentMethods, made as Stripe.js would, before the timed part. */
      async createPaymentMethods(count: number): Promise<string[]> {
        const made: string[] = [];
        await runConcurrently(count, 8, async () => {
          made.push(await createCardPaymentMethod(stripeUrl, 'pk_test_bench', '4242424242424242'));
        });
        return made;
      },
      onStop(step: () => Promise<unknown>) {
        stopped.push(step);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type PaymentStack = Awaited<ReturnType<typeof startPaymentStack>>;
