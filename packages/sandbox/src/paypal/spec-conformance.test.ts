import assert from 'node:assert/strict';
import { startPayPalSandbox } from './sandbox.js';
import type { PayPalResponseRecord, PayPalSandbox } from './types.js';
import { PayPalSpecValidator } from './spec-validator.test.js';
import {
  approvedOrder,
  callPayPal,
  ORDER_BODY,
  startReceiver,
  tokenFor,
  verificationOf,
} from './paypal-harness.test.js';

// Answers of routes that PayPal's Orders v2 and Webhooks v1 documents do not describe: OAuth2 (its
// own RFC 6749 shape), the Payments v2 API (captures and refunds) and the fake's buyer control.
const OUTSIDE_THE_SPECS = new Set([
  '/v1/oauth2/token',
  '/v2/payments/captures/{id}',
  '/v2/payments/captures/{id}/refund',
  null,
]);

describe("PayPal sandbox: every answer conforms to PayPal's OpenAPI documents", function () {
  this.timeout(60_000);
  const validator = new PayPalSpecValidator();
  const answers: PayPalResponseRecord[] = [];
  let sandbox: PayPalSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const WEBHOOK_ID = '1JE4291016473214C';

  before(async () => {
    receiver = await startReceiver();
    sandbox = await startPayPalSandbox({
      onResponse: (entry) => answers.push(entry),
      webhook: { url: receiver.url, webhookId: WEBHOOK_ID },
    });
  });
  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('answers every operation, success and failure, as the specs describe', async () => {
    const token = await tokenFor(sandbox);
    const orders = '/v2/checkout/orders';
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      callPayPal(sandbox, token, method, path, body, headers);

    // Create: minimal and full representations, a replay, and each refusal.
    const minimal = await call('POST', orders, ORDER_BODY, { 'PayPal-Request-Id': 'create-1' });
    assert.equal(minimal.status, 201);
    assert.equal((await call('POST', orders, ORDER_BODY, { 'PayPal-Request-Id': 'create-1' })).status, 200);
    assert.equal((await call('POST', orders, ORDER_BODY, { Prefer: 'return=representation' })).status, 201);
    assert.equal((await call('POST', orders, { purchase_units: ORDER_BODY.purchase_units })).status, 400);
    assert.equal((await call('POST', orders, '{"intent":')).status, 400);
    const unit = (amount: object) => ({ intent: 'CAPTURE', purchase_units: [{ amount }] });
    assert.equal((await call('POST', orders, unit({ currency_code: 'XYZ', value: '1.00' }))).status, 422);
    assert.equal((await call('POST', orders, unit({ currency_code: 'JPY', value: '1.50' }))).status, 422);
    const badPayee = {
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'USD', value: '1.00' }, payee: { merchant_id: 'nope' } }],
    };
    assert.equal((await call('POST', orders, badPayee)).status, 422);

    // Get, capture before approval, unknown ids, bad tokens.
    assert.equal((await call('GET', `${orders}/${minimal.body.id}`)).status, 200);
    assert.equal((await call('POST', `${orders}/${minimal.body.id}/capture`)).status, 422);
    assert.equal((await call('GET', `${orders}/NOSUCHORDER`)).status, 404);
    assert.equal((await call('POST', `${orders}/NOSUCHORDER/capture`)).status, 404);
    assert.equal(
      (await callPayPal(sandbox, 'not-a-token', 'GET', `${orders}/${minimal.body.id}`)).status,
      401,
    );

    // Captures: completed, replayed, repeated, declined, pending, both representations.
    const paid = await approvedOrder(sandbox, token);
    assert.equal(
      (await call('POST', `${orders}/${paid}/capture`, undefined, { 'PayPal-Request-Id': 'cap-1' })).status,
      201,
    );
    assert.equal(
      (await call('POST', `${orders}/${paid}/capture`, undefined, { 'PayPal-Request-Id': 'cap-1' })).status,
      200,
    );
    assert.equal(
      (await call('POST', `${orders}/${paid}/capture`, undefined, { 'PayPal-Request-Id': 'cap-2' })).status,
      422,
    );
    assert.equal((await call('GET', `${orders}/${paid}`)).status, 200);
    const declined = await approvedOrder(sandbox, token, 'declined');
    assert.equal((await call('POST', `${orders}/${declined}/capture`)).status, 422);
    const pending = await approvedOrder(sandbox, token, 'pending');
    assert.equal(
      (await call('POST', `${orders}/${pending}/capture`, undefined, { Prefer: 'return=representation' }))
        .status,
      201,
    );

    // Webhooks: every delivered event, and verification of a true and a tampered one.
    await sandbox.settleWebhooks();
    assert.ok(receiver.deliveries.length >= 4, 'approvals and captures were delivered');
    const [first] = receiver.deliveries;
    assert.ok(first);
    const verify = '/v1/notifications/verify-webhook-signature';
    assert.equal(
      (await call('POST', verify, verificationOf(first, WEBHOOK_ID))).body.verification_status,
      'SUCCESS',
    );
    const tampered = first.body.replace('"event_version":"1.0"', '"event_version":"1.1"');
    assert.equal(
      (await call('POST', verify, verificationOf(first, WEBHOOK_ID, tampered))).body.verification_status,
      'FAILURE',
    );

    const failures: string[] = [];
    const validated = new Set<string>();
    for (const answer of answers) {
      if (OUTSIDE_THE_SPECS.has(answer.route)) continue;
      const errors = validator.validateResponse(
        answer.route as string,
        answer.method,
        answer.status,
        answer.body,
      );
      validated.add(`${answer.method} ${answer.route} ${answer.status}`);
      for (const error of errors)
        failures.push(
          `${answer.method} ${answer.path} ${answer.status}: ${error} in ${JSON.stringify(answer.body).slice(0, 200)}`,
        );
    }
    for (const delivery of receiver.deliveries) {
      const event = JSON.parse(delivery.body) as { event_type: string; resource: unknown };
      for (const error of validator.validateSchema('webhooks', 'event', event))
        failures.push(`event ${error}`);
      const schema = event.event_type.startsWith('PAYMENT.CAPTURE.') ? 'capture' : 'order';
      for (const error of validator.validateSchema('orders', schema, event.resource)) {
        failures.push(`${event.event_type} resource ${error}`);
      }
    }
    assert.deepEqual(failures, []);
    // The routes and statuses checked above were really checked, not skipped.
    assert.deepEqual([...validated].sort(), [
      'GET /v2/checkout/orders/{id} 200',
      'GET /v2/checkout/orders/{id} 401',
      'GET /v2/checkout/orders/{id} 404',
      'POST /v1/notifications/verify-webhook-signature 200',
      'POST /v2/checkout/orders 200',
      'POST /v2/checkout/orders 201',
      'POST /v2/checkout/orders 400',
      'POST /v2/checkout/orders 422',
      'POST /v2/checkout/orders/{id}/capture 200',
      'POST /v2/checkout/orders/{id}/capture 201',
      'POST /v2/checkout/orders/{id}/capture 404',
      'POST /v2/checkout/orders/{id}/capture 422',
    ]);
  });

  it('would catch a drifted answer (the validator is not vacuous)', () => {
    const order = sandbox.orders()[0] as Record<string, unknown>;
    assert.deepEqual(validator.validateResponse('/v2/checkout/orders/{id}', 'GET', 200, order), []);
    const drifted = { ...order, status: 'PAID', links: [{ rel: 'self' }] };
    assert.ok(validator.validateResponse('/v2/checkout/orders/{id}', 'GET', 200, drifted).length >= 2);
    const wrongIssue = {
      name: 'UNPROCESSABLE_ENTITY',
      message: 'x',
      details: [{ issue: 'CARD_DECLINED', description: 'x' }],
    };
    assert.notDeepEqual(
      validator.validateResponse('/v2/checkout/orders/{id}/capture', 'POST', 422, wrongIssue),
      [],
    );
  });
});
