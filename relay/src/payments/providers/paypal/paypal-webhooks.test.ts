import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from '../../../testing/payment-fixtures.js';
import {
  PAYPAL_TEST_WEBHOOK_ID,
  paypalOrderRequest,
  useRelayWithPayPal,
} from '../../../testing/paypal-fixtures.js';

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

describe('POST /v1/webhooks/paypal (relay + PayPal sandbox + real database)', function () {
  this.timeout(60_000);
  const h = useRelayWithPayPal();
  const webhookUrl = () => `${h.relay.url}/v1/webhooks/paypal`;
  const transactionRow = (id: unknown) => h.relay.database.knex('transactions').where({ id }).first();

  /** PayPal's side of things, as if the relay had died right after asking: the capture happens there. */
  async function captureAtPayPal(orderId: string) {
    const { clientId, clientSecret } = h.paypal.credentials;
    const tokenAnswer = await fetch(`${h.paypal.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const response = await fetch(`${h.paypal.url}/v2/checkout/orders/${orderId}/capture`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    const order = (await response.json()) as {
      purchase_units: Array<{ payments: { captures: Array<{ id: string }> } }>;
    };
    return { token, captureId: order.purchase_units[0]?.payments.captures[0]?.id as string };
  }

  async function orderApprovedThroughRelay(email = 'late.payer@example.com') {
    const request = paypalOrderRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid);
    const created = await postJson(`${h.relay.url}/v1/paypal/orders`, request);
    const orderId = created.body.orderId as string;
    h.paypal.approveOrder(orderId, { email, givenName: 'Late', surname: 'Payer' });
    return { request, orderId, transactionId: created.body.transactionId as string };
  }

  /** Records what PayPal delivers, so a test can replay or tamper with a real signed delivery. */
  async function recordDeliveries(run: () => Promise<void>): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({
          body: Buffer.concat(chunks).toString('utf8'),
          headers: request.headers as Record<string, string>,
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h.paypal.setWebhook({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      webhookId: PAYPAL_TEST_WEBHOOK_ID,
    });
    try {
      await run();
      await h.paypal.settleWebhooks();
    } finally {
      h.paypal.setWebhook({ url: webhookUrl(), webhookId: PAYPAL_TEST_WEBHOOK_ID });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return deliveries;
  }

  const forward = (delivery: Delivery, body = delivery.body, drop?: string) => {
    const headers = Object.fromEntries(
      Object.entries(delivery.headers).filter(([name]) => name.startsWith('paypal-') && name !== drop),
    );
    return postJson(webhookUrl(), body, headers);
  };

  it('refuses a bad or missing signature with 400 webhook_signature_invalid and changes nothing', async () => {
    const { orderId, transactionId } = await orderApprovedThroughRelay();
    const deliveries = await recordDeliveries(async () => {
      await captureAtPayPal(orderId);
    });
    const completed = deliveries.find((d) => JSON.parse(d.body).event_type === 'PAYMENT.CAPTURE.COMPLETED');
    assert.ok(completed);
    const forged = completed.body.replace('"COMPLETED"', '"DECLINED"');
    for (const answer of [
      await forward(completed, forged),
      await forward(completed, completed.body, 'paypal-transmission-sig'),
      await forward({
        ...completed,
        headers: { ...completed.headers, 'paypal-transmission-sig': 'c2lnbmF0dXJl' },
      }),
      await postJson(webhookUrl(), completed.body, {}),
    ]) {
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal((answer.body.error as { code: string }).code, 'webhook_signature_invalid');
    }
    assert.equal((await transactionRow(transactionId)).status, 'processing', 'no forged event was applied');

    const genuine = await forward(completed);
    assert.deepEqual(genuine.body, { received: true, outcome: 'processed' });
    assert.deepEqual((await forward(completed)).body, { received: true, outcome: 'duplicate' });
  });

  it('records a capture the relay never recorded (it died after PayPal captured)', async () => {
    const { orderId, transactionId } = await orderApprovedThroughRelay('recovered@example.com');
    const { captureId } = await captureAtPayPal(orderId);
    await h.paypal.settleWebhooks();
    const row = await transactionRow(transactionId);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.provider_payment_id, captureId);
    const contact = await h.relay.database.knex('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.email, 'recovered@example.com');
    assert.equal((await h.relay.database.knex('outbox').where({ transaction_id: transactionId })).length, 1);
  });

  it('rebuilds the transaction from the event when its row is gone', async () => {
    const { orderId, transactionId } = await orderApprovedThroughRelay('rebuilt@example.com');
    await h.relay.database.knex('transactions').where({ id: transactionId }).delete();
    const { captureId } = await captureAtPayPal(orderId);
    await h.paypal.settleWebhooks();
    const row = await transactionRow(transactionId);
    assert.ok(row, 'the transaction is back, under its own id');
    assert.equal(row.status, 'succeeded');
    assert.equal(row.provider, 'paypal');
    assert.equal(row.provider_payment_id, captureId);
    assert.equal(row.provider_order_id, orderId);
    assert.equal(row.amount, 4900);
    assert.equal(row.currency, 'USD');
    assert.equal(row.form_id, h.seeded.form.id);
    const contact = await h.relay.database.knex('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.email, 'rebuilt@example.com');
  });

  it('applies denied captures and refunds, partial then full', async () => {
    const pending = await orderApprovedThroughRelay();
    h.paypal.approveOrder(pending.orderId, { instrument: 'pending' });
    const answer = await postJson(`${h.relay.url}/v1/paypal/orders/${pending.orderId}/capture`, {
      tenantId: pending.request.tenantId,
      attemptId: pending.request.attemptId,
    });
    assert.equal(answer.body.status, 'processing', 'an eCheck capture is pending');
    const row = await transactionRow(pending.transactionId);
    await h.paypal.settleCapture(row.provider_payment_id, 'DECLINED');
    assert.equal((await transactionRow(pending.transactionId)).status, 'failed');

    const paid = await orderApprovedThroughRelay();
    const { token, captureId } = await captureAtPayPal(paid.orderId);
    await h.paypal.settleWebhooks();
    const refund = (value?: string) =>
      fetch(`${h.paypal.url}/v2/payments/captures/${captureId}/refund`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(value ? { amount: { currency_code: 'USD', value } } : {}),
      });
    await refund('9.00');
    await h.paypal.settleWebhooks();
    let refunded = await transactionRow(paid.transactionId);
    assert.equal(refunded.status, 'partially_refunded');
    assert.equal(refunded.amount_refunded, 900);
    await refund();
    await h.paypal.settleWebhooks();
    refunded = await transactionRow(paid.transactionId);
    assert.equal(refunded.status, 'refunded');
    assert.equal(refunded.amount_refunded, 4900);
  });

  it('answers 200 "ignored" for event types it does not handle and for unknown tenants', async () => {
    const deliveries = await recordDeliveries(async () => {
      await h.paypal.emitEvent('PAYMENT.CAPTURE.COMPLETED', {
        id: 'CAPTURE0000000001',
        status: 'COMPLETED',
        custom_id: 'not-ours',
      });
    });
    const [delivery] = deliveries;
    assert.ok(delivery);
    assert.deepEqual((await forward(delivery)).body, { received: true, outcome: 'ignored' });
    const approvals = await recordDeliveries(async () => {
      await orderApprovedThroughRelay();
    });
    assert.deepEqual((await forward(approvals[0] as Delivery)).body, { received: true, outcome: 'ignored' });
  });
});
