import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { callApi, failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: outages, limits and the HTTP surface', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('answers 429 rate_limit beyond the configured rate, as a StripeRateLimitError', async () => {
    sandbox.setRateLimit(3);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => stripe.balance.retrieve()));
    const limited = results.filter((result) => result.status === 'rejected');
    assert.equal(limited.length, 2);
    const error = (limited[0] as PromiseRejectedResult).reason as Stripe.errors.StripeRateLimitError;
    assert.ok(error instanceof Stripe.errors.StripeRateLimitError);
    assert.equal(error.statusCode, 429);
    assert.equal(error.code, 'rate_limit');
    sandbox.setRateLimit(null);
    await stripe.balance.retrieve();
  });

  it('answers 500 api_error while down, drops connections on reset, and delays while slow', async () => {
    sandbox.setOutage('down');
    const down = await failureOf<Stripe.errors.StripeAPIError>(() => stripe.balance.retrieve());
    assert.ok(down instanceof Stripe.errors.StripeAPIError);
    assert.equal(down.statusCode, 500);
    sandbox.setOutage('reset');
    const reset = await failureOf<Stripe.errors.StripeConnectionError>(() => stripe.balance.retrieve());
    assert.ok(reset instanceof Stripe.errors.StripeConnectionError);
    sandbox.setOutage('slow', 150);
    const started = performance.now();
    await stripe.balance.retrieve();
    assert.ok(performance.now() - started >= 140);
    sandbox.setOutage('none');
    assert.deepEqual(
      sandbox.requestLog().map((entry) => entry.status),
      [500, 0, 0, 200],
      'the client retried the dropped connection once, as stripe-node does',
    );
  });

  it('sends Request-Id and Stripe-Version headers and Stripe-shaped 404s', async () => {
    const balance = await stripe.balance.retrieve();
    assert.match(balance.lastResponse.requestId, /^req_/);
    assert.equal(balance.lastResponse.apiVersion, Stripe.API_VERSION);
    const unknown = await callApi(sandbox, 'GET', '/v1/nothing_here', { key: sandbox.keys.secretTest });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.type, 'invalid_request_error');
    assert.match(unknown.body.error.message, /^Unrecognized request URL \(GET: \/v1\/nothing_here\)/);
  });

  it('refuses a JSON body and a broken form body with 400', async () => {
    const json = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.keys.secretTest}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com' }),
    });
    assert.equal(json.status, 400);
    const broken = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sandbox.keys.secretTest}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'email=%E0%A4%A',
    });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    assert.equal(sandbox.customers().length, 0);
  });

  it('stamps objects with the injected clock', async () => {
    const fixed = await startSandbox({ clock: () => Date.UTC(2030, 0, 1) });
    try {
      const customer = await stripeFor(fixed).customers.create({ email: 'a@example.com' });
      assert.equal(customer.created, Date.UTC(2030, 0, 1) / 1000);
    } finally {
      await fixed.close();
    }
  });

  it('serves browser files under /js/ with their content type and nothing outside', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'sandbox-js-'));
    await mkdir(path.join(root, 'browser'));
    await writeFile(path.join(root, 'browser', 'stripe.js'), 'window.Stripe = function () {};');
    await writeFile(path.join(root, 'secret.txt'), 'do not serve');
    const served = await startSandbox({ browserDir: path.join(root, 'browser') });
    try {
      const script = await fetch(`${served.url}/js/stripe.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /javascript/);
      assert.equal(await script.text(), 'window.Stripe = function () {};');
      for (const attempt of [
        '/js/../secret.txt',
        '/js/%2e%2e/secret.txt',
        '/js/..%2fsecret.txt',
        '/js/missing.js',
      ]) {
        const response = await fetch(`${served.url}${attempt}`);
        assert.equal(response.status, 404, attempt);
        assert.ok(!(await response.text()).includes('do not serve'), attempt);
      }
    } finally {
      await served.close();
    }
  });
});
