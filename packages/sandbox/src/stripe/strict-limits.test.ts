import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { IDEMPOTENCY_KEY_TTL_MS } from './idempotency.js';
import { failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

/**
 * Where Stripe is strict, the sandbox is too (issue 13, items 6-8): each refusal reaches the real
 * `stripe` client as the error class, type, param and message Stripe sends.
 */
describe('Stripe sandbox: Stripe-strict limits, key pruning and event versions', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  async function refusal(action: () => Promise<unknown>) {
    const error = await failureOf<Stripe.errors.StripeInvalidRequestError>(action);
    assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError, String(error));
    assert.equal(error.type, 'StripeInvalidRequestError');
    assert.equal(error.statusCode, 400);
    assert.equal((error.raw as { type?: string }).type, 'invalid_request_error');
    return error;
  }

  describe('idempotency keys expire after 24 hours', () => {
    const params = { amount: 1000, currency: 'usd', metadata: { order: 'o-1' } };

    it('replays until the key is 24 hours old, then makes a new PaymentIntent', async () => {
      // A clock that stands still between requests, so 24 h minus 1 ms is exactly that.
      await sandbox.close();
      const frozen = Date.now();
      sandbox = await startSandbox({ clock: () => frozen });
      stripe = stripeFor(sandbox);
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'late-retry' });
      sandbox.advanceClock(IDEMPOTENCY_KEY_TTL_MS - 1);
      const replayed = await stripe.paymentIntents.create(params, { idempotencyKey: 'late-retry' });
      assert.equal(replayed.id, first.id);
      assert.equal(replayed.lastResponse.headers['idempotent-replayed'], 'true');
      sandbox.advanceClock(1);
      const fresh = await stripe.paymentIntents.create(params, { idempotencyKey: 'late-retry' });
      assert.notEqual(fresh.id, first.id, 'a pruned key is a brand-new request, as at Stripe');
      assert.equal(fresh.lastResponse.headers['idempotent-replayed'], undefined);
      assert.equal(sandbox.paymentIntents().length, 2);
      assert.ok(fresh.created - first.created >= IDEMPOTENCY_KEY_TTL_MS / 1000);
    });

    it('lets a pruned key be used with other parameters, as a new key', async () => {
      await stripe.paymentIntents.create(params, { idempotencyKey: 'reused' });
      sandbox.advanceClock(IDEMPOTENCY_KEY_TTL_MS);
      const other = await stripe.paymentIntents.create(
        { amount: 2000, currency: 'usd' },
        { idempotencyKey: 'reused' },
      );
      assert.equal(other.amount, 2000);
    });

    it('refuses a key over 255 characters and takes one of exactly 255', async () => {
      const error = await refusal(() =>
        stripe.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(256) }),
      );
      assert.match(error.message, /^Idempotent key length is 256, which is outside accepted lengths/);
      const ok = await stripe.paymentIntents.create(params, { idempotencyKey: 'k'.repeat(255) });
      assert.equal(ok.object, 'payment_intent');
      assert.equal(sandbox.paymentIntents().length, 1);
    });

    it('refuses a bad clock move', () => {
      assert.throws(() => sandbox.advanceClock(-1), RangeError);
    });
  });

  describe('length limits', () => {
    it('metadata: keys up to 40 characters', async () => {
      const error = await refusal(() => stripe.customers.create({ metadata: { ['k'.repeat(41)]: 'v' } }));
      assert.equal(error.param, 'metadata');
      assert.match(
        error.message,
        /^Metadata keys can have up to 40 characters, but you passed in a key that is 41/,
      );
      await stripe.customers.create({ metadata: { ['k'.repeat(40)]: 'v' } });
    });

    it('metadata: values up to 500 characters, on every object that takes metadata', async () => {
      const long = { note: 'v'.repeat(501) };
      for (const action of [
        () => stripe.customers.create({ metadata: long }),
        () => stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: long }),
      ]) {
        const error = await refusal(action);
        assert.equal(error.param, 'metadata');
        assert.match(
          error.message,
          /^Metadata values can have up to 500 characters, but you passed in a value that is 501/,
        );
      }
      await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        metadata: { note: 'v'.repeat(500) },
      });
    });

    it('metadata: up to 50 keys, counting the keys an update keeps', async () => {
      const keys = (count: number, prefix = 'k') =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v']));
      const error = await refusal(() => stripe.customers.create({ metadata: keys(51) }));
      assert.equal(error.param, 'metadata');
      const customer = await stripe.customers.create({ metadata: keys(50) });
      await refusal(() => stripe.customers.update(customer.id, { metadata: { extra: 'v' } }));
      // An empty value deletes a key, so swapping one key for another stays within the limit.
      const swapped = await stripe.customers.update(customer.id, { metadata: { k0: '', extra: 'v' } });
      assert.equal(Object.keys(swapped.metadata).length, 50);
    });

    it('PaymentIntent description up to 1000 characters, on create and update', async () => {
      const error = await refusal(() =>
        stripe.paymentIntents.create({ amount: 1000, currency: 'usd', description: 'd'.repeat(1001) }),
      );
      assert.equal(error.param, 'description');
      assert.match(error.message, /must be at most 1000 characters$/);
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        description: 'd'.repeat(1000),
      });
      const updateError = await refusal(() =>
        stripe.paymentIntents.update(intent.id, { description: 'd'.repeat(1001) }),
      );
      assert.equal(updateError.param, 'description');
    });

    it('customer name up to 256 characters', async () => {
      const error = await refusal(() => stripe.customers.create({ name: 'n'.repeat(257) }));
      assert.equal(error.param, 'name');
      assert.match(error.message, /must be at most 256 characters$/);
      assert.equal((await stripe.customers.create({ name: 'n'.repeat(256) })).name?.length, 256);
    });

    it('stores nothing under the idempotency key of a refused request, so a fixed retry goes through', async () => {
      await refusal(() =>
        stripe.customers.create({ name: 'n'.repeat(257) }, { idempotencyKey: 'fixed-later' }),
      );
      const customer = await stripe.customers.create({ name: 'Ada' }, { idempotencyKey: 'fixed-later' });
      assert.equal(customer.name, 'Ada');
    });
  });

  describe('event API versions', () => {
    it("creates events in the account's version and delivers them in the endpoint's", async () => {
      const received: Stripe.Event[] = [];
      const secret = 'whsec_versions';
      const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          received.push(
            stripe.webhooks.constructEvent(
              Buffer.concat(chunks),
              String(request.headers['stripe-signature']),
              secret,
              300,
              undefined,
              Math.floor(sandbox.now() / 1000),
            ),
          );
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        sandbox.setWebhook({ url, secret, apiVersion: '2025-01-27.acacia' });
        // The request names yet another version: Stripe ignores it for events.
        const older = new Stripe(sandbox.keys.secretTest, {
          host: '127.0.0.1',
          port: sandbox.port,
          protocol: 'http',
          maxNetworkRetries: 0,
          telemetry: false,
          apiVersion: '2024-06-20' as Stripe.LatestApiVersion,
        });
        const intent = await older.paymentIntents.create({ amount: 1000, currency: 'usd' });
        await sandbox.settleWebhooks();
        assert.equal(received.length, 1);
        assert.equal(received[0]?.type, 'payment_intent.created');
        assert.equal(received[0]?.api_version, '2025-01-27.acacia');
        const stored = await stripe.events.retrieve(received[0]!.id);
        assert.equal(stored.api_version, Stripe.API_VERSION, "stored in the account's default version");
        assert.equal((received[0]?.data.object as Stripe.PaymentIntent).id, intent.id);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
