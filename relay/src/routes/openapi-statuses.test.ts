import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { createApiKeyFor, GOOD_PASSWORD, sendJson, signUpMerchant } from '../testing/merchant-fixtures.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  seedTenantWithForm,
} from '../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

type Operations = Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;

/** The documented operation a request goes to: its path template matched segment by segment. */
function operationFor(paths: Operations, method: string, url: string) {
  const segments = new URL(url, 'http://relay').pathname.split('/');
  for (const [template, operations] of Object.entries(paths)) {
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    if (parts.every((part, index) => part.startsWith('{') || part === segments[index])) {
      const operation = operations[method.toLowerCase()];
      if (operation) return operation;
    }
  }
  return undefined;
}

describe('OpenAPI statuses match what the relay sends', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: { ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` },
    });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('documents every status the main routes answer, success and error alike', async () => {
    const { tenant, form } = await seedTenantWithForm(relay.database.knex);
    const document = (await (await fetch(`${relay.url}/v1/openapi.json`)).json()) as { paths: Operations };
    const seen: Array<{ operationId: string; path: string; status: number; documented: string[] }> = [];
    const call = async (method: string, path: string, options: Parameters<typeof sendJson>[3] = {}) => {
      const answer = await sendJson(relay.url, method, path, options);
      const operation = operationFor(document.paths, method, path);
      assert.ok(operation, `${method} ${path} is not in the document`);
      seen.push({
        operationId: operation.operationId,
        path: `${method} ${path}`,
        status: answer.status,
        documented: Object.keys(operation.responses),
      });
      return answer;
    };

    const page = { origin: PAGE_ORIGIN };
    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', '/v1/status');
    await call('GET', `/v1/forms/${tenant.id}/${form.hubspotFormGuid}`, { headers: page });
    await call('GET', `/v1/forms/${tenant.id}/nope`, { headers: page });
    const paymentMethodId = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await call('POST', '/v1/payments', {
      body: paymentRequest(tenant.id, form.hubspotFormGuid, paymentMethodId),
      headers: page,
    });
    assert.equal(paid.body.status, 'succeeded', JSON.stringify(paid.body));
    const declinedMethod = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4000000000000002',
    );
    await call('POST', '/v1/payments', {
      body: paymentRequest(tenant.id, form.hubspotFormGuid, declinedMethod),
      headers: page,
    });
    await call('POST', '/v1/payments', { body: { tenantId: tenant.id }, headers: page });
    await call('POST', `/v1/payments/${paid.body.transactionId}/form-submitted`, {
      body: { tenantId: tenant.id },
      headers: page,
    });
    await call('POST', '/v1/payments/00000000-0000-4000-8000-000000000000/confirm', {
      body: { tenantId: tenant.id },
      headers: page,
    });
    await call('POST', '/v1/webhooks/stripe', { body: { id: 'evt_unsigned' } });

    await call('POST', '/v1/merchant/signup', {
      body: { email: 'owner@statuses.example', password: GOOD_PASSWORD, businessName: 'Statuses' },
      headers: { origin: relay.url },
    });
    await call('POST', '/v1/merchant/login', {
      body: { email: 'owner@statuses.example', password: 'wrong-password-here' },
      headers: { origin: relay.url },
    });
    await call('GET', '/v1/merchant/session');
    const client = await signUpMerchant(relay, 'second@statuses.example');
    const session = { cookie: client.cookie };
    const posted = (path: string, body: unknown = {}) =>
      call('POST', path, {
        body,
        headers: { ...session, origin: relay.url, 'x-csrf-token': client.csrfToken },
      });
    await call('GET', '/v1/merchant/session', { headers: session });
    await posted('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD });
    const created = await posted('/v1/merchant/api-keys', { name: 'books', scopes: ['transactions:read'] });
    await call('GET', '/v1/merchant/api-keys', { headers: session });
    await posted(`/v1/merchant/api-keys/${created.body.id}/revoke`);
    const key = await createApiKeyFor(client, ['transactions:read', 'contacts:read']);
    const bearer = { authorization: `Bearer ${key.secret}` };
    await call('GET', '/v1/transactions', { headers: bearer });
    await call('GET', '/v1/transactions', {});
    await call('GET', '/v1/transactions.csv', { headers: bearer });
    await call('GET', '/v1/transactions/00000000-0000-4000-8000-000000000000', { headers: bearer });
    await call('GET', '/v1/contacts', { headers: bearer });
    await call('GET', '/v1/audit-events', { headers: session });
    await call('GET', '/v1/audit-events', { headers: bearer });
    await posted('/v1/merchant/logout');

    const undocumented = seen.filter(({ status, documented }) => !documented.includes(String(status)));
    assert.deepEqual(undocumented, [], 'statuses sent but not documented');
    // The ones that were wrong before: 201 for a new key, 204 for a logout.
    assert.ok(seen.some((s) => s.operationId === 'createApiKey' && s.status === 201));
    assert.ok(seen.some((s) => s.operationId === 'logOut' && s.status === 204));
    assert.ok(new Set(seen.map((s) => s.status)).size >= 7, JSON.stringify(seen.map((s) => s.status)));
  });
});
