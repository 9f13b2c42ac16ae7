import assert from 'node:assert/strict';
import { createLogger } from '../../../logger.js';
import { startRelay } from '../../../server.js';
import { PAGE_ORIGIN, postJson, seedTenantWithForm } from '../../../testing/payment-fixtures.js';
import { paypalOrderRequest, useRelayWithPayPal } from '../../../testing/paypal-fixtures.js';

interface SandboxOrder {
  purchase_units: Array<{
    amount: { currency_code: string; value: string };
    description?: string;
    payee: { merchant_id: string };
  }>;
}

describe('PayPal orders through the relay (relay + PayPal sandbox + real database)', function () {
  this.timeout(60_000);
  const h = useRelayWithPayPal();

  const createOrder = (body: unknown) => postJson(`${h.relay.url}/v1/paypal/orders`, body);
  const capture = (orderId: string, body: unknown) =>
    postJson(`${h.relay.url}/v1/paypal/orders/${orderId}/capture`, body);
  const orderAt = (id: unknown) => h.paypal.orders().find((o) => o.id === id) as unknown as SandboxOrder;
  const transactionRow = (id: string) => h.relay.database.knex('transactions').where({ id }).first();
  const capturesOf = (orderId: string) =>
    h.paypal
      .captures()
      .filter(
        (c) =>
          (c.supplementary_data as { related_ids: { order_id: string } }).related_ids.order_id === orderId,
      );

  it('creates an order at the form price, captures it once approved, records contact, transaction and HubSpot job', async () => {
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const created = await createOrder(request);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    const orderId = created.body.orderId as string;
    const order = orderAt(orderId);
    assert.deepEqual(order.purchase_units[0]?.amount, { currency_code: 'USD', value: '49.00' });
    assert.equal(order.purchase_units[0]?.description, 'Workshop ticket');

    h.paypal.approveOrder(orderId, {
      email: 'Grace.Hopper@example.com',
      givenName: 'Grace',
      surname: 'Hopper',
    });
    const captured = await capture(orderId, { tenantId: request.tenantId, attemptId: request.attemptId });
    assert.equal(captured.status, 200, JSON.stringify(captured.body));
    assert.equal(captured.body.status, 'succeeded');
    assert.equal(captured.body.amount, 4900);
    assert.equal(captured.body.transactionId, created.body.transactionId);

    const row = await transactionRow(created.body.transactionId as string);
    const [paypalCapture] = capturesOf(orderId);
    assert.equal(row.provider, 'paypal');
    assert.equal(row.status, 'succeeded');
    assert.equal(row.provider_order_id, orderId);
    assert.equal(row.provider_payment_id, paypalCapture?.id);
    const contact = await h.relay.database.knex('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.email, 'grace.hopper@example.com');
    assert.equal(contact.first_name, 'Grace');
    assert.equal(contact.last_name, 'Hopper');
    const outbox = await h.relay.database.knex('outbox').where({ transaction_id: row.id });
    assert.equal(outbox.length, 1, 'one HubSpot push queued with the paid transaction');
    // The capture webhook arrives too; it finds the same record and changes nothing.
    await h.paypal.settleWebhooks();
    assert.equal((await h.relay.database.knex('outbox').where({ transaction_id: row.id })).length, 1);
  });

  it('answers a declined funding source with instrument_declined and captures nothing', async () => {
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const created = await createOrder(request);
    const orderId = created.body.orderId as string;
    h.paypal.approveOrder(orderId, { instrument: 'declined' });
    const refused = await capture(orderId, { tenantId: request.tenantId, attemptId: request.attemptId });
    assert.equal(refused.status, 402);
    assert.equal((refused.body.error as { code: string }).code, 'instrument_declined');
    assert.equal(capturesOf(orderId).length, 0);
    const row = await transactionRow(created.body.transactionId as string);
    assert.equal(row.status, 'processing', 'the payer may pick another funding source in PayPal');
    assert.equal((await h.relay.database.knex('outbox').where({ transaction_id: row.id })).length, 0);

    // PayPal's Buttons restart: the payer approves with another source and the capture goes through.
    h.paypal.approveOrder(orderId, { instrument: 'ok' });
    const retried = await capture(orderId, { tenantId: request.tenantId, attemptId: request.attemptId });
    assert.equal(retried.body.status, 'succeeded');
  });

  it('refuses a capture before the payer approved, with order_not_approved', async () => {
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const created = await createOrder(request);
    const early = await capture(created.body.orderId as string, {
      tenantId: request.tenantId,
      attemptId: request.attemptId,
    });
    assert.equal(early.status, 409);
    assert.equal((early.body.error as { code: string }).code, 'order_not_approved');
  });

  it('captures once when copies race across two relay processes, and when the capture is replayed with its request id', async () => {
    const second = await startRelay({
      config: h.relay.config,
      logger: createLogger({ level: 'silent' }),
      database: h.relay.database,
      migrate: false,
    });
    try {
      const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
      const [first, again] = await Promise.all([
        createOrder(request),
        postJson(`${second.url}/v1/paypal/orders`, request),
      ]);
      assert.equal(first.body.orderId, again.body.orderId, 'a retried create is the same order');
      const orderId = first.body.orderId as string;
      h.paypal.approveOrder(orderId);
      const body = { tenantId: request.tenantId, attemptId: request.attemptId };
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          postJson(`${index % 2 ? h.relay.url : second.url}/v1/paypal/orders/${orderId}/capture`, body),
        ),
      );
      assert.deepEqual([...new Set(answers.map((a) => `${a.status}:${a.body.status}`))], ['200:succeeded']);
      assert.equal(
        (await capture(orderId, body)).body.status,
        'succeeded',
        'a later replay reads the record',
      );
      assert.equal(capturesOf(orderId).length, 1, 'PayPal captured once');

      // The relay captured but its record was lost (it died before committing): the payer's retry
      // captures again with the same PayPal-Request-Id, and PayPal answers with the first capture.
      await h.paypal.settleWebhooks();
      await h.relay.database
        .knex('transactions')
        .where({ id: first.body.transactionId })
        .update({ status: 'processing', provider_payment_id: null });
      const retried = await capture(orderId, body);
      assert.equal(retried.body.status, 'succeeded');
      assert.equal(capturesOf(orderId).length, 1, 'still one capture at PayPal');
      assert.equal(
        (await transactionRow(first.body.transactionId as string)).provider_payment_id,
        capturesOf(orderId)[0]?.id,
      );
      const requestIds = h.paypal
        .requestLog()
        .filter((entry) => entry.path === `/v2/checkout/orders/${orderId}/capture`)
        .map((entry) => entry.requestId);
      assert.ok(requestIds.length >= 2, 'PayPal was asked again');
      assert.equal(new Set(requestIds).size, 1, 'every capture call carried the one request id');
      assert.match(String(requestIds[0]), /^opp-capture-[0-9a-f]{48}$/);
      const row = await transactionRow(first.body.transactionId as string);
      assert.equal((await h.relay.database.knex('outbox').where({ transaction_id: row.id })).length, 1);
    } finally {
      await second.close();
    }
  });

  it('ignores a tampered amount: the form price wins, and nothing reaches PayPal', async () => {
    const before = h.paypal.orders().length;
    const tampered = await createOrder(
      paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, { amount: 1 }),
    );
    assert.equal(tampered.status, 409);
    assert.equal((tampered.body.error as { code: string }).code, 'price_changed');
    const smuggled = await createOrder(
      paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, {
        currency: 'JPY',
        value: '0.01',
      }),
    );
    assert.equal(smuggled.status, 400);
    assert.equal((smuggled.body.error as { code: string }).code, 'invalid_request');
    assert.equal(h.paypal.orders().length, before, 'no order was created');

    const custom = await seedTenantWithForm(h.relay.database.knex, {
      form: { providers: ['paypal'], amount: null, customAmount: { min: 500, max: 10_000 } },
    });
    const chosen = await createOrder(
      paypalOrderRequest(custom.tenant.id, custom.form.hubspotFormGuid, { amount: 2500 }),
    );
    const order = orderAt(chosen.body.orderId);
    assert.equal(order.purchase_units[0]?.amount.value, '25.00');
    const outOfRange = await createOrder(
      paypalOrderRequest(custom.tenant.id, custom.form.hubspotFormGuid, { amount: 1 }),
    );
    assert.equal((outOfRange.body.error as { code: string }).code, 'amount_out_of_range');
  });

  it('pays a hosted tenant: its PayPal merchant id is the payee', async () => {
    const hosted = await seedTenantWithForm(h.relay.database.knex, {
      paypalMerchantId: 'N8W2FZ4ZQ7YQA',
      form: { providers: ['paypal'] },
    });
    const created = await createOrder(paypalOrderRequest(hosted.tenant.id, hosted.form.hubspotFormGuid));
    const order = orderAt(created.body.orderId);
    assert.equal(order.purchase_units[0]?.payee.merchant_id, 'N8W2FZ4ZQ7YQA');
  });

  it('refuses forms without PayPal, foreign pages and other attempts', async () => {
    const stripeOnly = await seedTenantWithForm(h.relay.database.knex);
    const refused = await createOrder(
      paypalOrderRequest(stripeOnly.tenant.id, stripeOnly.form.hubspotFormGuid),
    );
    assert.equal((refused.body.error as { code: string }).code, 'provider_not_enabled');
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const foreign = await postJson(`${h.relay.url}/v1/paypal/orders`, request, {
      origin: 'https://evil.example',
    });
    assert.equal(foreign.status, 403);
    const created = await createOrder(request);
    const other = await capture(created.body.orderId as string, {
      tenantId: request.tenantId,
      attemptId: `att_${'x'.repeat(20)}`,
    });
    assert.equal(other.status, 404);
  });

  it('logs no PayPal access token, client secret or payer email, even for refused captures', async () => {
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const created = await createOrder(request);
    h.paypal.approveOrder(created.body.orderId as string, {
      instrument: 'declined',
      email: 'secret.payer@example.com',
    });
    await capture(created.body.orderId as string, {
      tenantId: request.tenantId,
      attemptId: request.attemptId,
    });
    const logs = h.relay.logLines.join('\n');
    assert.match(logs, /paypal capture refused/);
    assert.doesNotMatch(logs, /A21AA|Bearer |secret\.payer@|grace\.hopper@/i);
    assert.ok(!logs.includes(h.paypal.credentials.clientSecret));
  });

  it('reports PayPal beside Stripe in the public status', async () => {
    const up = (await (await fetch(`${h.relay.url}/v1/status`)).json()) as {
      providers: Record<string, { status: string }>;
    };
    assert.equal(up.providers.paypal?.status, 'up');
    assert.equal(up.providers.stripe?.status, 'up');
  });
});
