import assert from 'node:assert/strict';
import { useRelayWithSandbox } from '../testing/use-relay.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../testing/payment-fixtures.js';

describe('relay operations: health, status, headers, CORS, OpenAPI, logs', function () {
  this.timeout(60_000);
  const h = useRelayWithSandbox();

  it('is live and ready, and says not-ready when migrations are pending', async () => {
    assert.equal((await fetch(`${h.relay.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.relay.url}/readyz`)).status, 200);
    const applied = await h.relay.database.knex('knex_migrations').orderBy('id', 'desc').first();
    await h.relay.database.knex('knex_migrations').where({ id: applied.id }).delete();
    try {
      const response = await fetch(`${h.relay.url}/readyz`);
      assert.equal(response.status, 503);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /migrate/);
    } finally {
      await h.relay.database.knex('knex_migrations').insert(applied);
    }
  });

  it('reports Stripe up, then down during an outage', async () => {
    const up = (await (await fetch(`${h.relay.url}/v1/status`)).json()) as {
      status: string;
      providers: { stripe: { status: string } };
    };
    assert.deepEqual([up.status, up.providers.stripe.status], ['up', 'up']);
    h.stripe.setOutage('down');
    try {
      const down = (await (await fetch(`${h.relay.url}/v1/status`)).json()) as {
        status: string;
        providers: { stripe: { status: string } };
      };
      assert.deepEqual([down.status, down.providers.stripe.status], ['degraded', 'down']);
    } finally {
      h.stripe.setOutage('none');
    }
  });

  it('sends strict security headers on every response', async () => {
    for (const path of ['/healthz', '/v1/status', '/v1/nope']) {
      const response = await fetch(`${h.relay.url}${path}`);
      assert.match(String(response.headers.get('content-security-policy')), /default-src 'none'/);
      assert.match(String(response.headers.get('content-security-policy')), /frame-ancestors 'none'/);
      assert.match(
        String(response.headers.get('strict-transport-security')),
        /max-age=63072000; includeSubDomains; preload/,
      );
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('x-powered-by'), null);
      assert.ok(response.headers.get('request-id'));
    }
  });

  it('sends CORS only on the routes a payer browser calls, and only to allowed origins', async () => {
    const allowed = { origin: PAGE_ORIGIN };
    const formPath = `/v1/forms/${h.seeded.tenant.id}/${h.seeded.form.hubspotFormGuid}`;
    assert.equal(
      (await fetch(`${h.relay.url}${formPath}`, { headers: allowed })).headers.get(
        'access-control-allow-origin',
      ),
      PAGE_ORIGIN,
    );
    assert.equal(
      (await fetch(`${h.relay.url}/v1/status`, { headers: allowed })).headers.get(
        'access-control-allow-origin',
      ),
      '*',
    );
    assert.equal(
      (await fetch(`${h.relay.url}${formPath}`, { headers: { origin: 'https://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
      null,
    );
    for (const path of ['/healthz', '/readyz', '/v1/openapi.json']) {
      const response = await fetch(`${h.relay.url}${path}`, { headers: allowed });
      assert.equal(response.headers.get('access-control-allow-origin'), null, path);
    }
    const webhook = await fetch(`${h.relay.url}/v1/webhooks/stripe`, {
      method: 'OPTIONS',
      headers: { ...allowed, 'access-control-request-method': 'POST' },
    });
    assert.equal(webhook.headers.get('access-control-allow-origin'), null);
  });

  it('serves an OpenAPI 3.1 document generated from the protocol schemas', async () => {
    const document = (await (await fetch(`${h.relay.url}/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>
      >;
    };
    assert.equal(document.openapi, '3.1.0');
    for (const path of [
      '/v1/payments',
      '/v1/payments/{id}/confirm',
      '/v1/forms/{tenantId}/{formId}',
      '/v1/status',
      '/v1/webhooks/stripe',
      '/v1/paypal/orders',
      '/v1/paypal/orders/{id}/capture',
      '/v1/webhooks/paypal',
    ]) {
      assert.ok(document.paths[path], path);
    }
    const schema = document.paths['/v1/payments']?.post?.requestBody?.content['application/json']?.schema;
    assert.ok(schema && 'attemptId' in schema.properties && 'contact' in schema.properties);
  });

  it('writes JSON logs with no emails, secrets, client secrets or card numbers', async () => {
    const paymentMethodId = await createCardPaymentMethod(
      h.stripe.url,
      h.stripe.keys.publishableTest,
      '4000002500003155',
    );
    const response = await postJson(
      `${h.relay.url}/v1/payments`,
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, paymentMethodId, {
        contact: { email: 'secret.person@example.com', firstName: 'Secret', lastName: 'Person' },
      }),
      { origin: PAGE_ORIGIN, authorization: 'Bearer opp_live_abcdefghijklmnop', cookie: 'opp_session=abc' },
    );
    assert.equal(response.body.status, 'requires_action', JSON.stringify(response.body));
    const log = h.relay.logLines.join('\n');
    assert.ok(h.relay.logLines.length > 5);
    for (const line of h.relay.logLines) JSON.parse(line);
    for (const secret of [
      'secret.person@example.com',
      h.stripe.keys.secretTest,
      h.stripe.keys.secretLive,
      String(response.body.clientSecret),
      'opp_live_abcdefghijklmnop',
      '4000002500003155',
    ]) {
      assert.ok(!log.includes(secret), `log leaks ${secret.slice(0, 12)}...`);
    }
  });
});
