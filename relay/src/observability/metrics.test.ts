import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  seedTenantWithForm,
  createCardPaymentMethod,
  paymentRequest,
  postJson,
} from '../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** Reads one sample's value from Prometheus' text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('observability: /metrics and request ids', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { METRICS_TOKEN: TOKEN } });
    seeded = await seedTenantWithForm(relay.database.knex);
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const scrape = async (authorization = `Bearer ${TOKEN}`) => {
    const response = await fetch(`${relay.url}/metrics`, { headers: { authorization } });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  it('counts payments by outcome, requests by route template, and the outbox depth', async () => {
    const before = (await scrape()).text;
    const card = (number: string) => createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, number);
    const url = `${relay.url}/v1/payments`;
    const { tenant, form } = seeded;
    assert.equal(
      (await postJson(url, paymentRequest(tenant.id, form.hubspotFormGuid, await card('4242424242424242'))))
        .status,
      200,
    );
    assert.equal(
      (await postJson(url, paymentRequest(tenant.id, form.hubspotFormGuid, await card('4242424242424242'))))
        .status,
      200,
    );
    assert.equal(
      (await postJson(url, paymentRequest(tenant.id, form.hubspotFormGuid, await card('4000000000000002'))))
        .status,
      402,
    );
    await fetch(`${relay.url}/v1/forms/${tenant.id}/${crypto.randomUUID()}`, {
      headers: { origin: 'https://shop.example.com' },
    });

    const after = await scrape();
    assert.equal(after.status, 200);
    assert.match(after.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after.text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    assert.equal(delta('onepagepay_payments_total', { provider: 'stripe', outcome: 'succeeded' }), 2);
    assert.equal(delta('onepagepay_payments_total', { provider: 'stripe', outcome: 'card_declined' }), 1);
    assert.equal(
      delta('onepagepay_http_requests_total', { method: 'POST', route: '/v1/payments', status: '2xx' }),
      2,
    );
    assert.equal(
      delta('onepagepay_http_requests_total', { method: 'POST', route: '/v1/payments', status: '4xx' }),
      1,
    );
    assert.equal(
      delta('onepagepay_http_requests_total', {
        method: 'GET',
        route: '/v1/forms/:tenantId/:formId',
        status: '4xx',
      }),
      1,
      'labelled by template: a raw path would make a series per id',
    );
    assert.ok(!after.text.includes(tenant.id), 'no tenant id in any label');

    const pending = sample(after.text, 'onepagepay_outbox_pending', { mode: 'test' });
    const rows = (await relay.database
      .knex('outbox')
      .where({ status: 'pending' })
      .count('* as count')) as Array<{ count: string }>;
    const count = rows[0]?.count;
    assert.equal(pending, Number(count));
    assert.ok(Number(count) >= 2, 'each paid payment queued its HubSpot push');
    assert.ok((sample(after.text, 'onepagepay_outbox_oldest_pending_seconds', { mode: 'test' }) ?? -1) >= 0);
    assert.equal(sample(after.text, 'onepagepay_outbox_dead_letters', { mode: 'test' }), 0);
    assert.equal(sample(after.text, 'onepagepay_upstream_up', { upstream: 'stripe' }), 1);
    assert.ok(sample(after.text, 'onepagepay_process_resident_memory_bytes', {}) ?? 0 > 0);
  });

  it('answers 401 without the token and with a wrong one, in the relay error shape', async () => {
    for (const authorization of ['', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
      const response = await scrape(authorization);
      assert.equal(response.status, 401);
      assert.equal((JSON.parse(response.text) as { error: { code: string } }).error.code, 'unauthorized');
      assert.ok(!response.text.includes('onepagepay_'), 'no metric leaks');
    }
  });

  it('has no /metrics at all when METRICS_TOKEN is unset, and refuses a weak token at start-up', async () => {
    const plain = await startTestRelay(stripe);
    try {
      const response = await fetch(`${plain.url}/metrics`);
      assert.equal(response.status, 404);
    } finally {
      await plain.close();
    }
    await assert.rejects(
      startTestRelay(stripe, { env: { METRICS_TOKEN: 'short' } }),
      /METRICS_TOKEN must be at least 24/,
    );
  });

  it('gives every response an X-Request-Id that every log line of that request carries', async () => {
    const response = await postJson(`${relay.url}/v1/payments`, { tenantId: 'nope' });
    const requestId = response.headers.get('x-request-id') ?? '';
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.equal((response.body as { error: { requestId: string } }).error.requestId, requestId);
    const lines = relay.logLines.filter((line) => line.includes(requestId));
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.equal((JSON.parse(line) as { requestId: string }).requestId, requestId);

    // A request id sent by a client is not trusted unless the relay is behind a proxy.
    const forged = await fetch(`${relay.url}/healthz`, { headers: { 'x-request-id': 'attacker-chosen-id' } });
    assert.notEqual(forged.headers.get('x-request-id'), 'attacker-chosen-id');
  });

  it("keeps a trusted proxy's request id, and logs from deep in the payment path carry it", async () => {
    const ownStripe = await startStripeSandbox();
    const proxied = await startTestRelay(ownStripe, { env: { TRUSTED_PROXY_HOPS: '1' } });
    try {
      const seededHere = await seedTenantWithForm(proxied.database.knex);
      const requestId = `haproxy-${crypto.randomUUID()}`;
      const kept = await fetch(`${proxied.url}/healthz`, { headers: { 'x-request-id': requestId } });
      assert.equal(kept.headers.get('x-request-id'), requestId);
      const unsafe = await fetch(`${proxied.url}/healthz`, {
        headers: { 'x-request-id': 'bad id {"level":60}' },
      });
      assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

      // Stripe not answering makes the payment path itself log a warning, inside the request.
      await ownStripe.close();
      const payId = `pay-${crypto.randomUUID()}`;
      const card = 'pm_card_visa';
      await postJson(
        `${proxied.url}/v1/payments`,
        paymentRequest(seededHere.tenant.id, seededHere.form.hubspotFormGuid, card),
        {
          origin: 'https://shop.example.com',
          'x-request-id': payId,
        },
      );
      const deep = proxied.logLines.filter((line) => line.includes('"msg":"stripe did not answer"'));
      assert.ok(deep.length >= 1, proxied.logLines.slice(-5).join('\n'));
      assert.ok(deep.every((line) => (JSON.parse(line) as { requestId?: string }).requestId === payId));
    } finally {
      await proxied.close();
    }
  });
});
