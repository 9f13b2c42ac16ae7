import assert from 'node:assert/strict';
import { startPayPalSandbox } from './sandbox.js';
import type { PayPalSandbox } from './types.js';
import {
  approvedOrder,
  callPayPal,
  ORDER_BODY,
  startReceiver,
  tokenFor,
  verificationOf,
} from './paypal-harness.test.js';

describe('PayPal sandbox: behaviour', function () {
  this.timeout(30_000);
  let sandbox: PayPalSandbox;
  let now = Date.parse('2026-12-06T12:00:00Z');
  afterEach(() => sandbox.close());

  it('issues client-credentials tokens that expire, and refuses wrong secrets', async () => {
    sandbox = await startPayPalSandbox({ clock: () => now, tokenTtlSeconds: 60 });
    const refused = await fetch(`${sandbox.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('app:wrong').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_client');
    const token = await tokenFor(sandbox);
    assert.equal((await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY)).status, 201);
    now += 61_000;
    const expired = await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.name, 'AUTHENTICATION_FAILURE');
  });

  it('replays a PayPal-Request-Id: one order, one capture, the first answer again', async () => {
    sandbox = await startPayPalSandbox();
    const token = await tokenFor(sandbox);
    const headers = { 'PayPal-Request-Id': 'attempt-1' };
    const first = await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY, headers);
    const again = await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY, headers);
    assert.deepEqual([first.status, again.status], [201, 200]);
    assert.equal(again.body.id, first.body.id);
    assert.equal(sandbox.orders().length, 1);
    sandbox.approveOrder(first.body.id);
    const path = `/v2/checkout/orders/${first.body.id}/capture`;
    const captures = await Promise.all(
      [1, 2, 3].map(() =>
        callPayPal(sandbox, token, 'POST', path, undefined, { 'PayPal-Request-Id': 'capture-1' }),
      ),
    );
    assert.deepEqual(captures.map((c) => c.status).sort(), [200, 200, 201]);
    assert.equal(new Set(captures.map((c) => c.body.purchase_units[0].payments.captures[0].id)).size, 1);
    assert.equal(sandbox.captures().length, 1);
  });

  it('refuses capture before approval and a declined instrument with PayPal issue codes', async () => {
    sandbox = await startPayPalSandbox();
    const token = await tokenFor(sandbox);
    const created = await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY);
    const early = await callPayPal(sandbox, token, 'POST', `/v2/checkout/orders/${created.body.id}/capture`);
    assert.equal(early.body.details[0].issue, 'ORDER_NOT_APPROVED');
    const declined = await approvedOrder(sandbox, token, 'declined');
    const refused = await callPayPal(sandbox, token, 'POST', `/v2/checkout/orders/${declined}/capture`);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.name, 'UNPROCESSABLE_ENTITY');
    assert.equal(refused.body.details[0].issue, 'INSTRUMENT_DECLINED');
    // The buyer picks another funding source and approves again: the capture then succeeds.
    sandbox.approveOrder(declined, { instrument: 'ok' });
    assert.equal(
      (await callPayPal(sandbox, token, 'POST', `/v2/checkout/orders/${declined}/capture`)).status,
      201,
    );
    const other = await tokenFor(sandbox, 'another-app');
    assert.equal((await callPayPal(sandbox, other, 'GET', `/v2/checkout/orders/${declined}`)).status, 404);
  });

  it('refunds a capture in parts, up to what is left, in its currency', async () => {
    sandbox = await startPayPalSandbox();
    const token = await tokenFor(sandbox);
    const order = await approvedOrder(sandbox, token);
    const captured = await callPayPal(sandbox, token, 'POST', `/v2/checkout/orders/${order}/capture`);
    const captureId = captured.body.purchase_units[0].payments.captures[0].id as string;
    const refund = (amount?: object, requestId?: string) =>
      callPayPal(
        sandbox,
        token,
        'POST',
        `/v2/payments/captures/${captureId}/refund`,
        amount ? { amount } : {},
        {
          ...(requestId ? { 'PayPal-Request-Id': requestId } : {}),
        },
      );
    assert.equal((await refund({ currency_code: 'USD', value: '10.00' }, 'r1')).status, 201);
    assert.equal((await refund({ currency_code: 'USD', value: '10.00' }, 'r1')).status, 200);
    assert.equal(
      (await refund({ currency_code: 'EUR', value: '1.00' })).body.details[0].issue,
      'REFUND_CAPTURE_CURRENCY_MISMATCH',
    );
    assert.equal(
      (await refund({ currency_code: 'USD', value: '15.01' })).body.details[0].issue,
      'REFUND_AMOUNT_EXCEEDED',
    );
    assert.equal((await refund()).status, 201);
    assert.equal((await refund()).body.details[0].issue, 'CAPTURE_FULLY_REFUNDED');
    const capture = await callPayPal(sandbox, token, 'GET', `/v2/payments/captures/${captureId}`);
    assert.equal(capture.body.status, 'REFUNDED');
    assert.equal(capture.body.seller_receivable_breakdown.total_refunded_amount.value, '25.00');
  });

  it('signs webhook deliveries so that verify-webhook-signature accepts them, and only them', async () => {
    const receiver = await startReceiver();
    sandbox = await startPayPalSandbox({ webhook: { url: receiver.url, webhookId: 'WH1234567890' } });
    const token = await tokenFor(sandbox);
    const order = await approvedOrder(sandbox, token, 'pending');
    const captured = await callPayPal(sandbox, token, 'POST', `/v2/checkout/orders/${order}/capture`);
    await sandbox.settleCapture(captured.body.purchase_units[0].payments.captures[0].id, 'DECLINED');
    await sandbox.settleWebhooks();
    await receiver.close();
    const types = receiver.deliveries.map((d) => JSON.parse(d.body).event_type);
    assert.deepEqual(types, ['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.PENDING', 'PAYMENT.CAPTURE.DENIED']);
    const denied = receiver.deliveries[2];
    assert.ok(denied);
    assert.equal(JSON.parse(denied.body).resource.supplementary_data.related_ids.order_id, order);
    const verify = (body: object) =>
      callPayPal(sandbox, token, 'POST', '/v1/notifications/verify-webhook-signature', body).then(
        (answer) => answer.body.verification_status,
      );
    assert.equal(await verify(verificationOf(denied, 'WH1234567890')), 'SUCCESS');
    assert.equal(await verify(verificationOf(denied, 'WH0000000000')), 'FAILURE');
    const forged = denied.body.replace('"DECLINED"', '"COMPLETED"');
    assert.equal(await verify(verificationOf(denied, 'WH1234567890', forged)), 'FAILURE');
  });
});
