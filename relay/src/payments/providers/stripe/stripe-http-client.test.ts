import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { createStripeClient } from './stripe-accounts.js';
import { StripeUndiciHttpClient } from './stripe-http-client.js';

/**
 * The relay's Stripe transport keeps the contract of stripe-node's own clients, so the payment
 * path's "no answer means keep the attempt open" logic (isUnansweredStripeError) sees the same
 * errors it always did.
 */
describe('StripeUndiciHttpClient: the stripe package on undici', function () {
  this.timeout(20_000);
  let sandbox: StripeSandbox;
  let transport: StripeUndiciHttpClient;
  const stripeAt = (url: string, timeoutMs = 2_000, maxNetworkRetries = 0) =>
    createStripeClient(sandbox.keys.secretTest, {
      apiBase: new URL(url),
      timeoutMs,
      maxNetworkRetries,
      httpClient: transport,
    });

  before(async () => {
    sandbox = await startStripeSandbox();
  });
  beforeEach(() => {
    transport = new StripeUndiciHttpClient();
  });
  afterEach(async () => {
    sandbox.setOutage('none');
    await transport.close();
  });
  after(async () => {
    await sandbox.close();
  });

  it('sends the request as stripe-node builds it and reads the answer, headers and all', async () => {
    const stripe = stripeAt(sandbox.url);
    const customer = await stripe.customers.create(
      { email: 'ada@example.com', metadata: { note: 'a & b = c' } },
      { idempotencyKey: 'undici-1' },
    );
    assert.match(customer.id, /^cus_/);
    assert.equal(customer.metadata.note, 'a & b = c');
    assert.match(customer.lastResponse.requestId, /^req_/);
    const replayed = await stripe.customers.create(
      { email: 'ada@example.com', metadata: { note: 'a & b = c' } },
      { idempotencyKey: 'undici-1' },
    );
    assert.equal(replayed.id, customer.id, 'an idempotent replay');
    const logged = sandbox.requestLog().filter((entry) => entry.idempotencyKey === 'undici-1');
    assert.equal(logged.length, 2);
  });

  it('turns Stripe error bodies into stripe-node errors', async () => {
    const stripe = stripeAt(sandbox.url);
    await assert.rejects(
      stripe.customers.retrieve('cus_missing'),
      (error: unknown) =>
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.statusCode === 404 &&
        error.code === 'resource_missing',
    );
  });

  it('reports a timeout as stripe-node does, naming the timeout', async () => {
    sandbox.setOutage('slow', 1_000);
    const stripe = stripeAt(sandbox.url, 150);
    await assert.rejects(
      stripe.customers.create({ email: 'slow@example.com' }),
      (error: unknown) =>
        error instanceof Stripe.errors.StripeConnectionError && /timeout.*150ms/.test(error.message),
    );
  });

  it('retries a dropped connection once, as stripe-node does for ECONNRESET, then reports it', async () => {
    sandbox.setOutage('reset');
    const before = sandbox.requestLog().length;
    const stripe = stripeAt(sandbox.url);
    await assert.rejects(
      stripe.customers.create({ email: 'reset@example.com' }, { idempotencyKey: 'undici-reset' }),
      (error: unknown) => error instanceof Stripe.errors.StripeConnectionError,
    );
    assert.equal(sandbox.requestLog().length - before, 2, 'the first try and one retry');
  });

  it('reports a body cut short as a connection error, not as bad JSON', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"id":');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const stripe = stripeAt(`http://127.0.0.1:${port}`);
      await assert.rejects(
        stripe.customers.create({ email: 'cut@example.com' }),
        (error: unknown) => error instanceof Stripe.errors.StripeConnectionError,
      );
    } finally {
      server.close();
    }
  });

  it('reports a refused connection as a connection error', async () => {
    const stripe = stripeAt('http://127.0.0.1:1');
    await assert.rejects(
      stripe.customers.create({ email: 'nobody@example.com' }),
      (error: unknown) => error instanceof Stripe.errors.StripeConnectionError,
    );
  });
});
