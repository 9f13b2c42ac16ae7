import assert from 'node:assert/strict';
import {
  startPayPalSandbox,
  startStripeSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';
import { PAGE_ORIGIN, postJson } from '../../testing/payment-fixtures.js';
import { PAYPAL_TEST_WEBHOOK_ID, paypalEnvFor, paypalOrderRequest } from '../../testing/paypal-fixtures.js';
import {
  createApiKeyFor,
  seedTransactions,
  sendJson,
  signUpMerchant,
} from '../../testing/merchant-fixtures.js';

describe('merchant API: refunds of PayPal captures', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let paypal: PayPalSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    paypal = await startPayPalSandbox();
    relay = await startTestRelay(stripe, { env: paypalEnvFor(paypal) });
    paypal.setWebhook({ url: `${relay.url}/v1/webhooks/paypal`, webhookId: PAYPAL_TEST_WEBHOOK_ID });
  });
  after(async () => {
    await relay?.close();
    await paypal?.close();
    await stripe?.close();
  });

  it('refunds a PayPal capture partially then fully, idempotent by Idempotency-Key, within what was paid', async () => {
    const merchant = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const key = (await createApiKeyFor(merchant, ['transactions:read', 'refunds:write'])).secret;
    const knex = relay.database.knex;
    await knex('tenants')
      .where({ id: merchant.tenantId })
      .update({ allowed_origins: [PAGE_ORIGIN] });
    const { form } = await seedTransactions(knex, merchant.tenantId, { count: 0 });
    await knex('forms')
      .where({ id: form.id })
      .update({ providers: ['paypal'] });

    const request = paypalOrderRequest(merchant.tenantId, form.hubspotFormGuid);
    const created = await postJson(`${relay.url}/v1/paypal/orders`, request);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    paypal.approveOrder(created.body.orderId as string);
    const paid = await postJson(`${relay.url}/v1/paypal/orders/${created.body.orderId}/capture`, {
      tenantId: request.tenantId,
      attemptId: request.attemptId,
    });
    assert.equal(paid.body.status, 'succeeded', JSON.stringify(paid.body));
    const transactionId = paid.body.transactionId as string;
    const amount = paid.body.amount as number;
    const refund = (body: unknown, idempotencyKey: string) =>
      sendJson(relay.url, 'POST', `/v1/transactions/${transactionId}/refunds`, {
        body,
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
      });

    const partial = await refund({ amount: 1000 }, 'paypal-refund-0001');
    assert.equal(partial.status, 200, JSON.stringify(partial.body));
    assert.equal(partial.body.status, 'succeeded');
    assert.match(partial.body.providerRefundId, /^[A-Z0-9]{17}$/);
    assert.equal(partial.body.transaction.status, 'partially_refunded');
    assert.equal(partial.body.transaction.amountRefunded, 1000);
    const replay = await refund({ amount: 1000 }, 'paypal-refund-0001');
    assert.equal(replay.body.id, partial.body.id, 'the same refund, not a second one');
    assert.equal((await refund({ amount: 500 }, 'paypal-refund-0001')).status, 409);
    assert.equal((await refund({ amount: 999_999 }, 'paypal-refund-0002')).status, 400);
    const rest = await refund({}, 'paypal-refund-0003');
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(rest.body.amount, amount - 1000);
    assert.equal(rest.body.transaction.status, 'refunded');

    const [capture] = paypal.captures();
    assert.equal(capture?.status, 'REFUNDED');
    const refundCalls = paypal
      .requestLog()
      .filter((entry) => entry.path === `/v2/payments/captures/${String(capture?.id)}/refund`);
    assert.equal(refundCalls.length, 2, 'exactly two refunds at PayPal');
    assert.equal(
      new Set(refundCalls.map((entry) => entry.requestId)).size,
      2,
      'one PayPal-Request-Id per refund',
    );
    assert.ok(refundCalls.every((entry) => /^opp-refund-[0-9a-f]{48}$/.test(String(entry.requestId))));

    // PayPal's refund webhooks report the same totals: the record does not move.
    await paypal.settleWebhooks();
    const row = await knex('transactions').where({ id: transactionId }).first();
    assert.equal(row.status, 'refunded');
    assert.equal(row.amount_refunded, amount);
  });
});
