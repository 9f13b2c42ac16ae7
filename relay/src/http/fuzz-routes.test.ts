import assert from 'node:assert/strict';
import {
  startHubSpotSandbox,
  startPayPalSandbox,
  startStripeSandbox,
  type HubSpotSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import fc from 'fast-check';
import { createForm } from '../tenants/create-form.js';
import { hostileRequest, type FuzzIds, type FuzzRequest } from '../testing/fuzz-arbitraries.js';
import {
  createApiKeyFor,
  GOOD_PASSWORD,
  logInMerchant,
  sessionCookieFrom,
  signUpMerchant,
  type MerchantClient,
} from '../testing/merchant-fixtures.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../testing/payment-fixtures.js';
import { paypalEnvFor } from '../testing/paypal-fixtures.js';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../testing/test-relay.js';

/**
 * Property: whatever arrives at a public or merchant route (wrong types, huge numbers, unicode,
 * prototype-pollution keys, JSON cut short, wrong content types, hostile path segments and query
 * strings, with no, garbage, API-key or session credentials), the relay answers below 500, with a
 * `{"error":{"code","message"}}` body when it refuses, and keeps serving. FUZZ_RUNS sets the number
 * of requests (100,000 for the figure in docs/reliability.md; a few hundred in `npm test`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789abcdef';

describe('fuzzing the public and merchant routes (fast-check, real relay + sandboxes)', function () {
  this.timeout(Math.max(120_000, RUNS * 50));
  let stripe: StripeSandbox;
  let paypal: PayPalSandbox;
  let hubspot: HubSpotSandbox;
  let relay: TestRelay;
  let merchant: MerchantClient;
  let apiKey: string;
  let ids: FuzzIds;
  let routes: Array<{ method: string; path: string }>;
  const merchantEmail = `fuzz-${crypto.randomUUID().slice(0, 8)}@example.com`;

  before(async () => {
    stripe = await startStripeSandbox();
    paypal = await startPayPalSandbox();
    hubspot = await startHubSpotSandbox();
    relay = await startTestRelay(stripe, {
      env: {
        ...paypalEnvFor(paypal),
        ONEPAGEPAY_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
        HUBSPOT_WORKER_ENABLED: 'false',
        HUBSPOT_API_BASE: hubspot.url,
        HUBSPOT_CLIENT_ID: hubspot.oauthApp.clientId,
        HUBSPOT_CLIENT_SECRET: hubspot.oauthApp.clientSecret,
        HUBSPOT_REDIRECT_URI: 'https://relay.example/v1/hubspot/oauth/callback',
        METRICS_TOKEN,
        LOG_LEVEL: 'warn',
      },
    });
    merchant = await signUpMerchant(relay, merchantEmail);
    apiKey = (await createApiKeyFor(merchant, ['transactions:read', 'contacts:read', 'refunds:write']))
      .secret;
    // The merchant's tenant takes payments from PAGE_ORIGIN, and holds one real paid transaction.
    const knex = relay.database.knex;
    await knex('tenants')
      .where({ id: merchant.tenantId })
      .update({ allowed_origins: [PAGE_ORIGIN] });
    const form = await createForm(knex, {
      tenantId: merchant.tenantId,
      hubspotFormGuid: crypto.randomUUID(),
      productName: 'Workshop ticket',
      currency: 'USD',
      amount: 4900,
      providers: ['stripe', 'paypal'],
    });
    const card = await createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, '4242424242424242');
    const request = paymentRequest(merchant.tenantId, form.hubspotFormGuid, card);
    const paid = await postJson(`${relay.url}/v1/payments`, request);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    ids = {
      tenantId: merchant.tenantId,
      formId: form.hubspotFormGuid,
      transactionId: paid.body.transactionId as string,
      attemptId: request.attemptId,
    };
    const document = (await (await fetch(`${relay.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method, path })),
    );
    routes.push({ method: 'get', path: '/metrics' });
    assert.ok(routes.length >= 30, `routes from the OpenAPI document: ${routes.length}`);
  });
  after(async () => {
    await relay?.close();
    await hubspot?.close();
    await paypal?.close();
    await stripe?.close();
  });

  function headersFor(request: FuzzRequest): Record<string, string> {
    const headers: Record<string, string> = {
      origin: request.auth === 'session' ? relay.url : PAGE_ORIGIN,
    };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    if (request.auth === 'api_key') headers.authorization = `Bearer ${apiKey}`;
    if (request.auth === 'garbage') headers.authorization = `Bearer ${'opp_'.padEnd(300, '\u00ff')}`;
    if (request.auth === 'session') {
      headers.cookie = merchant.cookie;
      headers['x-csrf-token'] = merchant.csrfToken;
    }
    if (request.path === '/metrics' && request.auth !== 'none')
      headers.authorization = `Bearer ${METRICS_TOKEN}`;
    return headers;
  }

  /**
   * The fuzzer's session follows the relay as a browser would: a rotated cookie or CSRF token is
   * kept, and a session a fuzzed logout ended is replaced by a new sign-in, so session routes keep
   * being reached past their authentication.
   */
  async function keepSession(request: FuzzRequest, response: Response, text: string): Promise<void> {
    if (request.auth !== 'session') return;
    const cookie = sessionCookieFrom(response.headers);
    if (cookie) merchant.cookie = cookie;
    const csrf = (safeJson(text) as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof csrf === 'string') merchant.csrfToken = csrf;
    if (response.status === 401 || (request.path.startsWith('/v1/merchant/logout') && response.ok)) {
      const { client } = await logInMerchant(relay.url, { email: merchantEmail, password: GOOD_PASSWORD });
      if (!client) throw new Error('the fuzzer could not sign in again');
      merchant = client;
    }
  }

  it(`answers ${RUNS} hostile requests with no 5xx and no crash`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest(routes, ids), async (request) => {
        const response = await fetch(`${relay.url}${request.path}`, {
          method: request.method,
          headers: headersFor(request),
          ...(request.body === undefined ? {} : { body: request.body }),
          redirect: 'manual',
        });
        const text = await response.text();
        await keepSession(request, response, text);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok(
          response.status < 500,
          `${request.method} ${request.path.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`,
        );
        if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
          const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
          assert.equal(
            typeof error?.code,
            'string',
            `${request.method} ${request.path.slice(0, 120)}: a stable code`,
          );
          assert.equal(typeof error?.message, 'string');
        }
      }),
      { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    const health = await fetch(`${relay.url}/healthz`);
    assert.equal(health.status, 200, 'the relay still serves');
    assert.equal(
      relay.logLines.filter((line) => line.includes('"level":50') || line.includes('"level":60')).length,
      0,
      'no error logged',
    );
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify(Object.fromEntries([...statuses].sort())));
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
