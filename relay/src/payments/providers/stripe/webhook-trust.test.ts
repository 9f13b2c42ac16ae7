import assert from 'node:assert/strict';
import Router from '@koa/router';
import type { Knex } from 'knex';
import Stripe from 'stripe';
import { signStripeWebhookPayload, startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, TEST_WEBHOOK_SECRET, type TestRelay } from '../../../testing/test-relay.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../../../testing/payment-fixtures.js';

/**
 * What a signed webhook may and may not do: metadata is written by whoever created the intent (a
 * connected account writes its own), so it is checked, never trusted; a signature stamped in the
 * future is refused like a stale one.
 */
describe('Stripe webhooks: signed is not trusted', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;
  let stripeClient: Stripe;

  before(async () => {
    stripe = await startStripeSandbox({ webhookRetryDelaysMs: [50] });
    // A route that feeds the database malformed values, to see what the error boundary answers.
    const extraRouters = ({ database }: { database: { knex: Knex } }) => {
      const probe = new Router();
      probe.get('/test/data-error/:kind', async (ctx) => {
        const sql = {
          uuid: "select 'x'::uuid",
          range: 'select 2147483648::int4',
          date: "select '2026-13-45'::date",
        };
        await database.knex.raw(sql[ctx.params.kind as keyof typeof sql]);
      });
      return [{ router: probe, docs: [] }];
    };
    relay = await startTestRelay(stripe, { extraRouters });
    stripe.setWebhook({ url: `${relay.url}/v1/webhooks/stripe`, secret: TEST_WEBHOOK_SECRET });
    seeded = await seedTenantWithForm(relay.database.knex);
    stripeClient = new Stripe(stripe.keys.secretTest, {
      host: '127.0.0.1',
      port: stripe.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const deliver = async (type: string, object: unknown, timestamp = Math.floor(Date.now() / 1000)) => {
    const id = `evt_${crypto.randomUUID().replaceAll('-', '')}`;
    const payload = JSON.stringify({
      id,
      object: 'event',
      type,
      livemode: false,
      created: 1,
      data: { object },
    });
    const response = await fetch(`${relay.url}/v1/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripeWebhookPayload(payload, TEST_WEBHOOK_SECRET, timestamp),
      },
      body: payload,
    });
    return {
      status: response.status,
      body: (await response.json()) as { outcome?: string; received?: boolean; error?: { code: string } },
    };
  };

  it('acknowledges, never 500s, an event whose metadata form id is not a UUID', async () => {
    const customer = await stripeClient.customers.create({ email: 'ada@example.com', name: 'Ada L' });
    const answer = await deliver('payment_intent.succeeded', {
      id: 'pi_metadata_not_uuid',
      object: 'payment_intent',
      amount: 4900,
      currency: 'usd',
      customer: customer.id,
      metadata: { onepagepay_tenant_id: seeded.tenant.id, onepagepay_form_id: "x' or '1'='1" },
    });
    assert.deepEqual([answer.status, answer.body], [200, { received: true, outcome: 'ignored' }]);
    const rows = await relay.database
      .knex('transactions')
      .where({ provider_payment_id: 'pi_metadata_not_uuid' });
    assert.equal(rows.length, 0);
  });

  it('answers database data errors anywhere with 400 invalid_request, not 500', async () => {
    for (const kind of ['uuid', 'range', 'date']) {
      const response = await fetch(`${relay.url}/test/data-error/${kind}`);
      const body = (await response.json()) as { error: { code: string } };
      assert.deepEqual([response.status, body.error.code], [400, 'invalid_request'], kind);
    }
  });

  it("never moves tenant A's transaction for an intent whose metadata names it", async () => {
    const paid = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(
        seeded.tenant.id,
        seeded.form.hubspotFormGuid,
        await createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, '4242424242424242'),
      ),
    );
    assert.equal(paid.status, 200);
    await stripe.settleWebhooks();
    const before = await relay.database.knex('transactions').where({ id: paid.body.transactionId }).first();
    assert.equal(before.status, 'succeeded');

    // Intent B, created by someone else, names A's tenant and transaction in its metadata.
    const intentB = await stripeClient.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: await createCardPaymentMethod(
        stripe.url,
        stripe.keys.publishableTest,
        '4242424242424242',
      ),
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: {
        onepagepay_tenant_id: seeded.tenant.id,
        onepagepay_form_id: seeded.form.id,
        onepagepay_transaction_id: before.id,
        onepagepay_attempt_id: before.attempt_id,
      },
    });
    await fetch(`${stripe.url}/v1/test_helpers/sandbox/disputes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stripe.keys.secretTest}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ charge: String(intentB.latest_charge) }),
    });
    await stripe.settleWebhooks();
    const after = await relay.database.knex('transactions').where({ id: before.id }).first();
    assert.deepEqual(
      [after.status, after.provider_payment_id, after.amount_refunded],
      ['succeeded', before.provider_payment_id, 0],
    );
    const processed = await relay.database
      .knex('processed_webhook_events')
      .whereIn('event_type', ['payment_intent.succeeded', 'charge.dispute.created'])
      .count<Array<{ count: string | number }>>('* as count');
    assert.ok(Number(processed[0]?.count) >= 3, 'the events about intent B were acknowledged');
  });

  it('refuses a signature stamped more than the tolerance in the future, and accepts clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    const object = { id: 'pi_future', object: 'payment_intent', metadata: {} };
    const future = await deliver('payment_intent.succeeded', object, now + 400);
    assert.deepEqual([future.status, future.body.error?.code], [400, 'webhook_signature_invalid']);
    const skewed = await deliver('payment_intent.succeeded', object, now + 200);
    assert.equal(skewed.status, 200);
  });
});
