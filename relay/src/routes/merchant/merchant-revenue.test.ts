import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  createApiKeyFor,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

describe('GET /v1/merchant/revenue: net revenue by day for the chart', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let other: MerchantClient;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    owner = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    other = await signUpMerchant(relay, `other-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const knex = relay.database.knex;
    const paid = await seedTransactions(knex, owner.tenantId, { count: 3, status: 'succeeded' });
    await knex('transactions')
      .where({ id: paid.transactionIds[0] })
      .update({ amount_refunded: 900, status: 'partially_refunded' });
    await seedTransactions(knex, owner.tenantId, { count: 2, status: 'failed' });
    await seedTransactions(knex, owner.tenantId, { count: 2, status: 'succeeded', livemode: true });
    const old = await seedTransactions(knex, owner.tenantId, { count: 1, status: 'succeeded' });
    await knex('transactions')
      .where({ id: old.transactionIds[0] })
      .update({ created_at: new Date(Date.now() - 40 * 86_400_000) });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('sums paid minus refunded per UTC day in the session mode, failed payments left out', async () => {
    const answer = await owner.get('/v1/merchant/revenue');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(answer.body, {
      object: 'revenue',
      days: 30,
      data: [{ day: today, currency: 'USD', net: 3 * 4900 - 900, count: 3 }],
    });
    const longer = await owner.get('/v1/merchant/revenue?days=60');
    assert.equal(longer.body.data.length, 2, 'the 40-day-old payment is in a 60-day window');
  });

  it('shows another tenant none of it, and answers API keys with the read scope', async () => {
    assert.deepEqual((await other.get('/v1/merchant/revenue')).body.data, []);
    const key = await createApiKeyFor(owner, ['transactions:read']);
    const byKey = await sendJson(relay.url, 'GET', '/v1/merchant/revenue', {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    assert.equal(byKey.status, 200);
    assert.equal(byKey.body.data[0].count, 3);
    const noScope = await createApiKeyFor(owner, ['contacts:read']);
    const refused = await sendJson(relay.url, 'GET', '/v1/merchant/revenue', {
      headers: { authorization: `Bearer ${noScope.secret}` },
    });
    assert.equal(refused.body.error.code, 'insufficient_scope');
  });

  it('refuses a malformed window', async () => {
    for (const days of ['0', '367', '-1', 'abc', '1e3', '30&days=31', "1' or '1'='1", '9'.repeat(400)]) {
      const answer = await owner.get(`/v1/merchant/revenue?days=${encodeURIComponent(days)}`);
      assert.equal(answer.status, 400, days);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
    assert.equal((await owner.get('/v1/merchant/revenue?days=30&days=31')).status, 400);
  });
});
