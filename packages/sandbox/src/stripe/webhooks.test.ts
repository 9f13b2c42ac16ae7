import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, callApi, createCard, startSandbox, stripeFor } from './sandbox-harness.test.js';

const SECRET = 'whsec_sandbox_test_secret';

interface Delivery {
  body: string;
  signature: string;
}

/** A real HTTP receiver that records deliveries and answers with `status()`. */
async function startReceiver(status: () => number = () => 200) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(request.headers['stripe-signature']),
      });
      response.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  return { url, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Stripe sandbox: webhooks', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  afterEach(async () => {
    await sandbox.close();
    await receiver.close();
  });

  async function setUp(status?: () => number) {
    receiver = await startReceiver(status);
    sandbox = await startSandbox({ webhook: { url: receiver.url, secret: SECRET } });
    stripe = stripeFor(sandbox);
  }

  function verifiedEvents(): Stripe.Event[] {
    return receiver.deliveries.map(({ body, signature }) =>
      stripe.webhooks.constructEvent(body, signature, SECRET),
    );
  }

  it('delivers signed events that stripe.webhooks.constructEvent verifies', async () => {
    await setUp();
    const card = await createCard(stripe, CARDS.visa);
    const intent = await stripe.paymentIntents.create(
      { amount: 3000, currency: 'usd', payment_method: card.id, confirm: true },
      { idempotencyKey: 'pay-1' },
    );
    await sandbox.settleWebhooks();
    const events = verifiedEvents();
    const succeeded = events.find((event) => event.type === 'payment_intent.succeeded');
    assert.ok(succeeded, events.map((event) => event.type).join());
    assert.equal((succeeded.data.object as Stripe.PaymentIntent).id, intent.id);
    assert.equal(succeeded.object, 'event');
    assert.equal(succeeded.livemode, false);
    assert.equal(succeeded.request?.idempotency_key, 'pay-1');
    assert.match(succeeded.request?.id ?? '', /^req_/);
    assert.ok(events.some((event) => event.type === 'charge.succeeded'));
    const stored = await stripe.events.retrieve(succeeded.id);
    assert.equal(stored.pending_webhooks, 0, 'delivered events have no pending webhooks left');
    const listed = await stripe.events.list({ type: 'payment_intent.succeeded' });
    assert.deepEqual(
      listed.data.map((event) => event.id),
      [succeeded.id],
    );
  });

  it('signs so that a tampered body or a wrong secret is rejected', async () => {
    await setUp();
    await stripe.customers.create({ email: 'payer@example.com' });
    await sandbox.settleWebhooks();
    const [delivery] = receiver.deliveries;
    assert.ok(delivery);
    const tampered = delivery.body.replace('payer@example.com', 'thief@example.com');
    assert.throws(
      () => stripe.webhooks.constructEvent(tampered, delivery.signature, SECRET),
      Stripe.errors.StripeSignatureVerificationError,
    );
    assert.throws(
      () => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other'),
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('emits charge.refunded and charge.dispute.created with the Connect account', async () => {
    await setUp();
    const account = await stripe.accounts.create({ type: 'standard' });
    const onAccount = { stripeAccount: account.id };
    const card = await stripe.paymentMethods.create(
      { type: 'card', card: { number: CARDS.visa, exp_month: 12, exp_year: 2040 } },
      onAccount,
    );
    const intent = await stripe.paymentIntents.create(
      { amount: 4000, currency: 'usd', payment_method: card.id, confirm: true },
      onAccount,
    );
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, onAccount);
    const dispute = await callApi(sandbox, 'POST', '/v1/test_helpers/sandbox/disputes', {
      key: sandbox.keys.secretTest,
      headers: { 'Stripe-Account': account.id },
      form: { payment_intent: intent.id },
    });
    assert.equal(dispute.status, 200, JSON.stringify(dispute.body));
    await sandbox.emitEvent(
      'charge.dispute.closed',
      { id: 'dp_manual', object: 'dispute', livemode: false },
      account.id,
    );
    await sandbox.settleWebhooks();
    const events = verifiedEvents();
    const refunded = events.find((event) => event.type === 'charge.refunded');
    assert.equal(refunded?.account, account.id);
    assert.equal((refunded?.data.object as Stripe.Charge).amount_refunded, 1000);
    const disputed = events.find((event) => event.type === 'charge.dispute.created');
    assert.equal((disputed?.data.object as Stripe.Dispute).payment_intent, intent.id);
    const manual = events.find((event) => event.type === 'charge.dispute.closed');
    assert.equal(manual?.account, account.id);
    const onTheAccount = events.filter((event) => event.account === account.id);
    assert.deepEqual(
      sandbox
        .events(account.id)
        .map((event) => event.id)
        .sort(),
      onTheAccount.map((event) => event.id).sort(),
    );
  });

  it('retries a failing receiver a bounded number of times, then gives up', async () => {
    let calls = 0;
    await setUp(() => (++calls < 2 ? 500 : 200));
    await sandbox.emitEvent('charge.dispute.created', { id: 'dp_1', object: 'dispute', livemode: false });
    assert.deepEqual(
      sandbox.webhookAttempts().map((attempt) => attempt.status),
      [500, 200],
    );
    calls = -100;
    await sandbox.emitEvent('charge.dispute.created', { id: 'dp_2', object: 'dispute', livemode: false });
    assert.equal(sandbox.webhookAttempts().length, 2 + 3, 'one attempt plus two retries');
  });

  it('survives a receiver that refuses connections', async () => {
    await setUp();
    const closed = await startReceiver();
    await closed.close();
    sandbox.setWebhook({ url: closed.url, secret: SECRET });
    await stripe.customers.create({ email: 'payer@example.com' });
    await sandbox.settleWebhooks();
    assert.deepEqual(
      sandbox.webhookAttempts().map((attempt) => attempt.status),
      [0, 0, 0],
    );
    assert.equal((await stripe.balance.retrieve()).object, 'balance', 'the sandbox still answers');
  });
});
