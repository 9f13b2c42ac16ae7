import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  createApiKeyFor,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

/**
 * Remote ids the provider no longer has (docs/remote-ids.md): a transaction whose PaymentIntent the
 * Stripe account does not know (a reset sandbox, a deleted or switched account) gets a clear 409
 * with a stable code when refunded, never a 500, and nothing about it changes.
 */
describe('a payment the provider lost: refunds and replays', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let merchant: MerchantClient;
  let key: string;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    merchant = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    key = (await createApiKeyFor(merchant, ['transactions:read', 'refunds:write'])).secret;
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('answers 409 provider_payment_missing, records the refund as failed and leaves the transaction', async () => {
    // Seeded rows name PaymentIntents this sandbox never made: as after a reset, or on another account.
    const { transactionIds } = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 1 });
    const transactionId = transactionIds[0]!;
    const refund = (idempotencyKey: string) =>
      sendJson(relay.url, 'POST', `/v1/transactions/${transactionId}/refunds`, {
        body: {},
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
      });

    const answer = await refund('lost-refund-0001');
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'provider_payment_missing');
    assert.match(answer.body.error.message, /no longer has this payment \(pi_seed_/);
    const [row] = await relay.database.knex('merchant_refunds').where({ transaction_id: transactionId });
    assert.equal(row.status, 'failed');
    const transaction = await relay.database.knex('transactions').where({ id: transactionId }).first();
    assert.equal(transaction.status, 'succeeded');
    assert.equal(transaction.amount_refunded, 0);
    assert.equal((await refund('lost-refund-0002')).status, 409, 'the same answer on a new try');
  });

  it('answers a replayed 3-D Secure step whose PaymentIntent is gone with 409 provider_payment_missing', async () => {
    await relay.database
      .knex('tenants')
      .where({ id: merchant.tenantId })
      .update({ allowed_origins: [PAGE_ORIGIN] });
    const { form } = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 0 });
    const card = await createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, '4000002500003155');
    const request = paymentRequest(merchant.tenantId, form.hubspotFormGuid, card);
    const first = await postJson(`${relay.url}/v1/payments`, request);
    assert.equal(first.body.status, 'requires_action', JSON.stringify(first.body));
    // The account no longer knows the PaymentIntent the row names (reset, deleted or switched account).
    await relay.database
      .knex('transactions')
      .where({ id: first.body.transactionId })
      .update({ provider_payment_id: 'pi_lostforgood' });
    const replay = await postJson(`${relay.url}/v1/payments`, request);
    assert.equal(replay.status, 409, JSON.stringify(replay.body));
    assert.equal((replay.body.error as { code: string }).code, 'provider_payment_missing');
  });
});
