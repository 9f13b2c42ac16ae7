import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startAnswerDroppingProxy } from '../../../testing/answer-dropping-proxy.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../../../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../../../testing/test-relay.js';
import { RECONCILE_AFTER_MS } from './charge-stripe.js';

const DAY_AND_AN_HOUR_MS = 25 * 60 * 60 * 1000;

/**
 * Issue 13, item 6: Stripe prunes idempotency keys after about 24 hours, so a create retried a day
 * later with the same key would be a second PaymentIntent. The relay searches for the first try's
 * PaymentIntent before creating one for an attempt that old.
 */
describe('Stripe: a retry after the idempotency window is reconciled, never charged twice', function () {
  this.timeout(120_000);
  let sandbox: StripeSandbox;
  let proxy: Awaited<ReturnType<typeof startAnswerDroppingProxy>>;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;

  before(async () => {
    sandbox = await startStripeSandbox();
    proxy = await startAnswerDroppingProxy(sandbox.url);
    relay = await startTestRelay({ url: proxy.url, keys: sandbox.keys });
    seeded = await seedTenantWithForm(relay.database.knex);
  });
  after(async () => {
    await relay?.close();
    await proxy?.close();
    await sandbox?.close();
  });

  const pay = (body: unknown) => postJson(`${relay.url}/v1/payments`, body);
  const intentsOf = (attemptId: string) =>
    sandbox
      .paymentIntents()
      .filter((intent) => (intent.metadata as Record<string, string>).onepagepay_attempt_id === attemptId);
  /** The attempt began a day and an hour ago, at the relay and at Stripe alike. */
  async function ageAttempt(attemptId: string) {
    await relay.database
      .knex('transactions')
      .where({ tenant_id: seeded.tenant.id, attempt_id: attemptId })
      .update({ created_at: relay.database.knex.raw(`created_at - interval '25 hours'`) });
    sandbox.advanceClock(DAY_AND_AN_HOUR_MS);
  }
  async function newRequest() {
    const card = await createCardPaymentMethod(sandbox.url, sandbox.keys.publishableTest, '4242424242424242');
    return paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, card);
  }

  it('finds the PaymentIntent whose answer was lost and records it: one PaymentIntent', async () => {
    const request = await newRequest();
    proxy.setDrop((method, path) => method === 'POST' && path === '/v1/payment_intents');
    try {
      const lost = await pay(request);
      assert.equal(lost.status, 503, JSON.stringify(lost.body));
      assert.equal((lost.body.error as { code: string }).code, 'provider_unavailable');
    } finally {
      proxy.setDrop(() => false);
    }
    const [charged] = intentsOf(request.attemptId);
    assert.equal(charged?.status, 'succeeded', 'Stripe charged although the relay never heard');

    await ageAttempt(request.attemptId);
    const retried = await pay(request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'succeeded');
    assert.equal(intentsOf(request.attemptId).length, 1, 'one PaymentIntent, not a second charge');
    const row = await relay.database.knex('transactions').where({ id: retried.body.transactionId }).first();
    assert.equal(row.provider_payment_id, charged?.id);
    assert.equal(row.status, 'succeeded');
    assert.ok(relay.logLines.some((line) => line.includes('a late retry found the payment')));
    const searches = sandbox.requestLog().filter((entry) => entry.path === '/v1/payment_intents/search');
    assert.equal(searches.length, 1);
  });

  it('charges once when the first try never reached Stripe', async () => {
    const request = await newRequest();
    sandbox.setOutage('down');
    try {
      assert.equal((await pay(request)).status, 503);
    } finally {
      sandbox.setOutage('none');
    }
    assert.equal(intentsOf(request.attemptId).length, 0);
    await ageAttempt(request.attemptId);
    const retried = await pay(request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'succeeded');
    assert.equal(intentsOf(request.attemptId).length, 1);
  });

  it('does not search for a retry inside the window: the idempotency key answers it', async () => {
    const request = await newRequest();
    proxy.setDrop((method, path) => method === 'POST' && path === '/v1/payment_intents');
    try {
      assert.equal((await pay(request)).status, 503);
    } finally {
      proxy.setDrop(() => false);
    }
    const before = sandbox.requestLog().filter((entry) => entry.path === '/v1/payment_intents/search').length;
    const retried = await pay(request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(intentsOf(request.attemptId).length, 1);
    const after = sandbox.requestLog().filter((entry) => entry.path === '/v1/payment_intents/search').length;
    assert.equal(after, before);
    assert.ok(RECONCILE_AFTER_MS < 24 * 60 * 60 * 1000);
  });
});
