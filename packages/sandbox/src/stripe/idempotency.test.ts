import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, createCard, failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: idempotent requests', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('replays the first response for the same key and parameters', async () => {
    const params = { amount: 1000, currency: 'usd', metadata: { tenant_id: 't1' } };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-1' });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-1' });
    assert.equal(second.id, first.id);
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(second.lastResponse.headers['original-request'], first.lastResponse.requestId);
    assert.equal(sandbox.paymentIntents().length, 1);
    const logged = sandbox.requestLog().filter((entry) => entry.idempotencyKey === 'order-1');
    assert.equal(logged.length, 2);
  });

  it('replays a decline too, without charging again', async () => {
    const card = await createCard(stripe, CARDS.declined);
    const params = { amount: 1000, currency: 'usd', payment_method: card.id, confirm: true };
    const first = await failureOf<Stripe.errors.StripeCardError>(() =>
      stripe.paymentIntents.create(params, { idempotencyKey: 'declined-1' }),
    );
    const second = await failureOf<Stripe.errors.StripeCardError>(() =>
      stripe.paymentIntents.create(params, { idempotencyKey: 'declined-1' }),
    );
    assert.equal(second.decline_code, 'generic_decline');
    assert.equal(
      (second.payment_intent as Stripe.PaymentIntent).id,
      (first.payment_intent as Stripe.PaymentIntent).id,
    );
    assert.equal((await stripe.charges.list()).data.length, 1);
  });

  it('refuses the same key with other parameters as a StripeIdempotencyError', async () => {
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'order-2' });
    const error = await failureOf<Stripe.errors.StripeIdempotencyError>(() =>
      stripe.paymentIntents.create({ amount: 2000, currency: 'usd' }, { idempotencyKey: 'order-2' }),
    );
    assert.ok(error instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(error.statusCode, 400);
    assert.equal(error.type, 'StripeIdempotencyError');
    assert.match(
      error.message,
      /same parameters they were first used with. Try using a key other than 'order-2'/,
    );
    const endpoint = await failureOf<Stripe.errors.StripeIdempotencyError>(() =>
      stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'order-2' }),
    );
    assert.ok(endpoint instanceof Stripe.errors.StripeIdempotencyError);
  });

  it('answers 409 to a second request while the first with its key is still running', async () => {
    sandbox.setOutage('slow', 300);
    const params = { amount: 1000, currency: 'usd' };
    const [first, second] = await Promise.allSettled([
      stripe.paymentIntents.create(params, { idempotencyKey: 'order-3' }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        stripe.paymentIntents.create(params, { idempotencyKey: 'order-3' }),
      ),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    const conflict = (second as PromiseRejectedResult).reason as Stripe.errors.StripeError;
    assert.equal(conflict.statusCode, 409);
    assert.equal(conflict.code, 'idempotency_key_in_use');
    assert.match(conflict.message, /another in-progress request using this Idempotent Key/);
    sandbox.setOutage('none');
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-3' });
    assert.equal(replay.id, (first as PromiseFulfilledResult<Stripe.PaymentIntent>).value.id);
  });

  it('scopes keys by mode and account, and frees a key after a validation error', async () => {
    const live = stripeFor(sandbox, sandbox.keys.secretLive);
    const test = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'shared' });
    const inLive = await live.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'shared' });
    assert.notEqual(inLive.id, test.id);
    assert.equal(inLive.livemode, true);
    await failureOf(() =>
      stripe.paymentIntents.create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'retry' }),
    );
    const fixed = await stripe.paymentIntents.create(
      { amount: 1000, currency: 'usd' },
      { idempotencyKey: 'retry' },
    );
    assert.equal(fixed.amount, 1000);
  });
});
