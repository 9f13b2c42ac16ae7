import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { inviteUser } from '../../merchants/users.js';
import {
  createApiKeyFor,
  GOOD_PASSWORD,
  logInMerchant,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

const newGuid = () => crypto.randomUUID();
const fixed = (overrides: Record<string, unknown> = {}) => ({
  hubspotFormGuid: newGuid(),
  productName: 'Pottery class',
  currency: 'EUR',
  amount: 4500,
  ...overrides,
});

describe('merchant self-service: forms', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let member: MerchantClient;
  let other: MerchantClient;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    owner = await signUpMerchant(relay, `owner-${newGuid().slice(0, 8)}@example.com`);
    other = await signUpMerchant(relay, `other-${newGuid().slice(0, 8)}@example.com`);
    const memberEmail = `member-${newGuid().slice(0, 8)}@example.com`;
    await inviteUser(
      relay.database.knex,
      { tenantId: owner.tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    member = (await logInMerchant(relay.url, { email: memberEmail, password: GOOD_PASSWORD })).client!;
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('creates a form that payers can load at once, and lists it', async () => {
    const body = fixed({ providers: ['stripe'] });
    const created = await owner.post('/v1/merchant/forms', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.livemode, false);
    assert.equal(created.body.enabled, true);
    assert.equal(created.body.amount, 4500);
    assert.equal(created.body.customAmount, null);
    const config = await sendJson(relay.url, 'GET', `/v1/forms/${owner.tenantId}/${body.hubspotFormGuid}`);
    assert.equal(config.status, 200, JSON.stringify(config.body));
    assert.equal(config.body.product.name, 'Pottery class');
    const listed = await owner.get('/v1/merchant/forms');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((form: { id: string }) => form.id),
      [created.body.id],
    );
    assert.equal((await member.get('/v1/merchant/forms')).body.data.length, 1, 'members read forms');
  });

  it('edits price, currency, providers and enabled, re-checking the whole price', async () => {
    const created = (await owner.post('/v1/merchant/forms', fixed())).body;
    const path = `/v1/merchant/forms/${created.id}`;
    const bothPrices = await owner.post(path, { customAmount: { min: 100, max: 500 } });
    assert.equal(bothPrices.status, 400, 'a fixed amount and a range at once');
    assert.equal(bothPrices.body.error.code, 'invalid_request');
    const switched = await owner.post(path, { amount: null, customAmount: { min: 100, max: 90_000 } });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.deepEqual(switched.body.customAmount, { min: 100, max: 90_000 });
    assert.equal(switched.body.amount, null);
    const changed = await owner.post(path, {
      currency: 'jpy',
      providers: ['paypal', 'stripe'],
      productName: '  Evening class ',
    });
    assert.equal(changed.status, 400, 'currency codes are upper case in the schema');
    const ok = await owner.post(path, { currency: 'JPY', providers: ['paypal', 'stripe'], enabled: false });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.currency, 'JPY');
    assert.deepEqual(ok.body.providers, ['paypal', 'stripe']);
    assert.equal(ok.body.enabled, false);
    const row = await relay.database.knex('forms').where({ id: created.id }).first();
    assert.equal(row.enabled, false);
    assert.equal(row.custom_amount_max, 90_000);
  });

  it('answers 404 to payers for a disabled form, like an unknown one', async () => {
    const body = fixed({ enabled: false });
    assert.equal((await owner.post('/v1/merchant/forms', body)).status, 201);
    const config = await sendJson(relay.url, 'GET', `/v1/forms/${owner.tenantId}/${body.hubspotFormGuid}`);
    assert.equal(config.status, 404);
    assert.equal(config.body.error.code, 'not_found');
  });

  it('refuses a second configuration of one HubSpot form', async () => {
    const body = fixed();
    assert.equal((await owner.post('/v1/merchant/forms', body)).status, 201);
    const again = await owner.post('/v1/merchant/forms', { ...body, amount: 100 });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
  });

  it('refuses malformed, oversized and hostile input with stable codes', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...fixed(), amount: 0 }, 'invalid_request'],
      [{ ...fixed(), amount: -5 }, 'invalid_request'],
      [{ ...fixed(), amount: 12.5 }, 'invalid_request'],
      [{ ...fixed(), amount: 1e20 }, 'invalid_request'],
      [{ ...fixed(), amount: '4500' }, 'invalid_request'],
      [{ ...fixed(), currency: 'XXX' }, 'invalid_request'],
      [{ ...fixed(), currency: "USD'; drop table forms; --" }, 'invalid_request'],
      [{ ...fixed(), providers: ['bitcoin'] }, 'invalid_request'],
      [{ ...fixed(), providers: ['stripe', 'stripe'] }, 'invalid_request'],
      [{ ...fixed(), providers: [] }, 'invalid_request'],
      [{ ...fixed(), hubspotFormGuid: "x' or 1=1 --" }, 'invalid_request'],
      [{ ...fixed(), hubspotFormGuid: 'a'.repeat(65) }, 'invalid_request'],
      [{ ...fixed(), productName: '<img src=x onerror=alert(1)>' }, 'invalid_request'],
      [{ ...fixed(), productName: 'tab\there' }, 'invalid_request'],
      [{ ...fixed(), productName: '   ' }, 'invalid_request'],
      [{ ...fixed(), productName: 'x'.repeat(201) }, 'invalid_request'],
      [{ ...fixed(), tenantId: other.tenantId }, 'invalid_request'],
      [{ ...fixed(), livemode: true }, 'invalid_request'],
      [{ ...fixed(), amount: undefined }, 'invalid_request'],
      [{ ...fixed(), customAmount: { min: 500, max: 100 } }, 'invalid_request'],
      [{ ...fixed(), ...JSON.parse('{"__proto__":{"admin":true}}') }, 'invalid_request'],
      [[fixed()], 'invalid_request'],
      [null, 'invalid_request'],
      [{ ...fixed(), productName: 'x'.repeat(200_000) }, 'payload_too_large'],
    ];
    for (const [body, code] of cases) {
      const answer = await owner.post('/v1/merchant/forms', body);
      assert.equal(
        answer.body?.error?.code,
        code,
        `${JSON.stringify(body)?.slice(60, 200)}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    const notJson = await sendJson(relay.url, 'POST', '/v1/merchant/forms', {
      headers: {
        cookie: owner.cookie,
        origin: relay.url,
        'x-csrf-token': owner.csrfToken,
        'content-type': 'text/plain',
      },
    });
    assert.equal(notJson.body.error.code, 'unsupported_media_type');
    for (const id of ['not-a-uuid', "1' or '1'='1", '00000000-0000-4000-8000-000000000000']) {
      const answer = await owner.post(`/v1/merchant/forms/${encodeURIComponent(id)}`, { enabled: false });
      assert.equal(answer.status, 404, id);
    }
    assert.equal(
      (await owner.post(`/v1/merchant/forms/${newGuid()}`, {})).body.error.code,
      'invalid_request',
    );
    const forms = await relay.database.knex('forms').where({ tenant_id: owner.tenantId }).count('* as n');
    assert.ok(Number(forms[0]!.n) <= 5, 'no hostile request made a form');
  });

  it('lets only owners change forms, only with a session and its CSRF token', async () => {
    const refused = await member.post('/v1/merchant/forms', fixed());
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const key = await createApiKeyFor(owner, ['transactions:read', 'contacts:read', 'refunds:write']);
    const byKey = await sendJson(relay.url, 'GET', '/v1/merchant/forms', {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    assert.equal(byKey.status, 403, 'an API key never reconfigures payments');
    const noCsrf = await owner.post('/v1/merchant/forms', fixed(), { 'x-csrf-token': 'forged' });
    assert.equal(noCsrf.body.error.code, 'csrf_failed');
    const foreignOrigin = await owner.post('/v1/merchant/forms', fixed(), { origin: 'https://evil.example' });
    assert.equal(foreignOrigin.body.error.code, 'csrf_failed');
    const anonymous = await sendJson(relay.url, 'GET', '/v1/merchant/forms');
    assert.equal(anonymous.status, 401);
  });

  it("never shows or changes another tenant's forms", async () => {
    const mine = (await owner.post('/v1/merchant/forms', fixed())).body;
    assert.equal((await other.get('/v1/merchant/forms')).body.data.length, 0);
    const hijack = await other.post(`/v1/merchant/forms/${mine.id}`, { amount: 1 });
    assert.equal(hijack.status, 404);
    const row = await relay.database.knex('forms').where({ id: mine.id }).first();
    assert.equal(row.amount, 4500);
  });

  it('records every change in the audit log', async () => {
    const events = (await owner.get('/v1/audit-events?limit=100')).body.data as Array<{ action: string }>;
    const actions = events.map((event) => event.action);
    assert.ok(actions.includes('form.created'), actions.join());
    assert.ok(actions.includes('form.updated'), actions.join());
  });
});
