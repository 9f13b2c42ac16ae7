import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { signStripeWebhookPayload, startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, TEST_WEBHOOK_SECRET, type TestRelay } from '../../../testing/test-relay.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../../../testing/payment-fixtures.js';

describe('POST /v1/webhooks/stripe', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;
  let stripeClient: Stripe;

  before(async () => {
    stripe = await startStripeSandbox({ webhookRetryDelaysMs: [50] });
    relay = await startTestRelay(stripe);
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

  const send = (payload: string, signature: string) =>
    fetch(`${relay.url}/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
  const eventPayload = (
    type: string,
    object: unknown,
    id = `evt_${crypto.randomUUID().replaceAll('-', '')}`,
  ) =>
    JSON.stringify({
      id,
      object: 'event',
      type,
      livemode: false,
      created: 1,
      api_version: '2026-10-28.endive',
      data: { object },
    });

  it('rejects a bad, missing, stale or wrong-secret signature with 400 and a stable code', async () => {
    const payload = eventPayload('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' });
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      signStripeWebhookPayload(payload, 'whsec_wrong_secret', now),
      signStripeWebhookPayload(payload, TEST_WEBHOOK_SECRET, now - 301),
      signStripeWebhookPayload(`${payload} `, TEST_WEBHOOK_SECRET, now).replace(/v1=\w+/, 'v1=deadbeef'),
      '',
      't=abc,v1=',
    ];
    for (const signature of cases) {
      const response = await send(payload, signature);
      assert.equal(response.status, 400, signature);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'webhook_signature_invalid');
    }
  });

  it('processes a real signed delivery and ignores its replay', async () => {
    const paymentMethodId = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethodId),
    );
    assert.equal(paid.status, 200);
    await stripe.settleWebhooks();
    const events = await relay.database.knex('processed_webhook_events').select('event_id', 'event_type');
    assert.ok(events.some((event) => event.event_type === 'payment_intent.succeeded'));

    const replayed = events.find((event) => event.event_type === 'payment_intent.succeeded')!;
    const stored = stripe.events().find((event) => event.id === replayed.event_id)!;
    const payload = JSON.stringify(stored);
    const response = await send(
      payload,
      signStripeWebhookPayload(payload, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: true, outcome: 'duplicate' });
  });

  it('records a paid charge the relay never recorded (it died after charging)', async () => {
    const transactionId = crypto.randomUUID();
    const customer = await stripeClient.customers.create({
      email: 'grace.hopper@example.com',
      name: 'Grace Hopper',
      metadata: { first_name: 'Grace', last_name: 'Hopper' },
    });
    const paymentMethodId = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    // What the relay sends before it dies: the intent exists at Stripe, our database has nothing.
    const intent = await stripeClient.paymentIntents.create({
      amount: 4900,
      currency: 'usd',
      customer: customer.id,
      payment_method: paymentMethodId,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: {
        onepagepay_tenant_id: seeded.tenant.id,
        onepagepay_form_id: seeded.form.id,
        onepagepay_transaction_id: transactionId,
        onepagepay_attempt_id: 'att_lost_0123456789abcdef',
      },
    });
    assert.equal(intent.status, 'succeeded');
    await stripe.settleWebhooks();
    const row = await relay.database.knex('transactions').where({ id: transactionId }).first();
    assert.ok(row, 'transaction recreated from the webhook');
    assert.equal(row.status, 'succeeded');
    assert.equal(row.amount, 4900);
    assert.equal(row.provider_payment_id, intent.id);
    const contact = await relay.database.knex('contacts').where({ id: row.contact_id }).first();
    assert.deepEqual(
      [contact.email, contact.first_name, contact.last_name],
      ['grace.hopper@example.com', 'Grace', 'Hopper'],
    );
    const outbox = await relay.database.knex('outbox').where({ transaction_id: transactionId });
    assert.equal(outbox.length, 1, 'the recovered payment is pushed to HubSpot too');
  });

  it('moves a transaction to refunded, partially refunded and disputed', async () => {
    const paymentMethodId = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethodId),
    );
    const row = await relay.database.knex('transactions').where({ id: paid.body.transactionId }).first();
    await stripeClient.refunds.create({ payment_intent: row.provider_payment_id, amount: 1000 });
    await stripe.settleWebhooks();
    let current = await relay.database.knex('transactions').where({ id: row.id }).first();
    assert.deepEqual([current.status, current.amount_refunded], ['partially_refunded', 1000]);
    await stripeClient.refunds.create({ payment_intent: row.provider_payment_id });
    await stripe.settleWebhooks();
    current = await relay.database.knex('transactions').where({ id: row.id }).first();
    assert.deepEqual([current.status, current.amount_refunded], ['refunded', 4900]);

    const other = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(
        seeded.tenant.id,
        seeded.form.hubspotFormGuid,
        await createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, '4242424242424242'),
      ),
    );
    const otherRow = await relay.database
      .knex('transactions')
      .where({ id: other.body.transactionId })
      .first();
    const intent = await stripeClient.paymentIntents.retrieve(otherRow.provider_payment_id);
    await fetch(`${stripe.url}/v1/test_helpers/sandbox/disputes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stripe.keys.secretTest}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ charge: String(intent.latest_charge) }),
    });
    await stripe.settleWebhooks();
    const disputed = await relay.database.knex('transactions').where({ id: otherRow.id }).first();
    assert.equal(disputed.status, 'disputed');
  });

  it('ignores event types it does not handle and events of unknown tenants, with 200', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const payload of [
      eventPayload('customer.created', { id: 'cus_1', object: 'customer' }),
      eventPayload('payment_intent.succeeded', {
        id: 'pi_unknown',
        object: 'payment_intent',
        metadata: { onepagepay_tenant_id: crypto.randomUUID() },
      }),
    ]) {
      const response = await send(payload, signStripeWebhookPayload(payload, TEST_WEBHOOK_SECRET, now));
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { outcome: string }).outcome, 'ignored');
    }
  });

  it('refuses a test-secret-signed event that claims to be live', async () => {
    const payload = JSON.stringify({
      ...JSON.parse(eventPayload('payment_intent.succeeded', {})),
      livemode: true,
    });
    const response = await send(
      payload,
      signStripeWebhookPayload(payload, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
    );
    assert.equal(response.status, 400);
  });
});
