import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, callApi, createCard, failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: keys, Connect accounts and modes', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('keeps each connected account’s objects to itself', async () => {
    const first = await stripe.accounts.create({ type: 'standard', email: 'one@example.com' });
    const second = await stripe.accounts.create({ type: 'standard' });
    assert.match(first.id, /^acct_/);
    const card = await createCard(stripe, CARDS.visa);
    const onFirst = await stripe.paymentIntents.create(
      { amount: 1000, currency: 'usd' },
      { stripeAccount: first.id },
    );
    assert.equal(sandbox.paymentIntents(first.id).length, 1);
    assert.equal(sandbox.paymentIntents().length, 0);
    const fromSecond = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.retrieve(onFirst.id, {}, { stripeAccount: second.id }),
    );
    assert.equal(fromSecond.statusCode, 404);
    assert.equal(fromSecond.code, 'resource_missing');
    const fromPlatform = await failureOf(() => stripe.paymentIntents.retrieve(onFirst.id));
    assert.equal((fromPlatform as Stripe.errors.StripeError).statusCode, 404);
    const platformCard = await failureOf(() =>
      stripe.paymentIntents.confirm(onFirst.id, { payment_method: card.id }, { stripeAccount: first.id }),
    );
    assert.equal((platformCard as Stripe.errors.StripeError).code, 'resource_missing');
    const retrieved = await stripe.paymentIntents.retrieve(onFirst.id, {}, { stripeAccount: first.id });
    assert.equal(retrieved.id, onFirst.id);
    const log = sandbox.requestLog().filter((entry) => entry.account === first.id);
    assert.ok(log.length >= 2);
  });

  it('refuses an unknown Stripe-Account as Stripe does', async () => {
    const error = await failureOf<Stripe.errors.StripePermissionError>(() =>
      stripe.customers.list({}, { stripeAccount: 'acct_1NotAnAccount00' }),
    );
    assert.ok(error instanceof Stripe.errors.StripePermissionError);
    assert.equal(error.statusCode, 403);
    assert.equal(error.code, 'account_invalid');
    assert.match(
      error.message,
      /does not have access to account 'acct_1NotAnAccount00' \(or that account does not exist\)/,
    );
    assert.ok(!error.message.includes(sandbox.keys.secretTest), 'the key is masked');
  });

  it('hides live objects from test keys and test objects from live keys', async () => {
    const live = stripeFor(sandbox, sandbox.keys.secretLive);
    const liveCustomer = await live.customers.create({ email: 'live@example.com' });
    assert.equal(liveCustomer.livemode, true);
    const testCustomer = await stripe.customers.create({ email: 'test@example.com' });
    assert.equal(testCustomer.livemode, false);
    const missing = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.customers.retrieve(liveCustomer.id),
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.statusCode, 404);
    await failureOf(() => live.customers.retrieve(testCustomer.id));
    assert.deepEqual(
      (await live.customers.list()).data.map((customer) => customer.id),
      [liveCustomer.id],
    );
    assert.equal(sandbox.customers(undefined, true).length, 1);
    const card = await live.paymentMethods.create({
      type: 'card',
      card: { number: CARDS.visa, exp_month: 12, exp_year: 2040 },
    });
    const intent = await live.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: card.id,
      confirm: true,
    });
    assert.equal(intent.livemode, true);
  });

  it('answers 401 without a key, with a malformed key, and for a publishable key on a secret endpoint', async () => {
    const none = await callApi(sandbox, 'GET', '/v1/balance');
    assert.equal(none.status, 401);
    assert.match(none.body.error.message, /You did not provide an API key/);
    const bad = await failureOf<Stripe.errors.StripeAuthenticationError>(() =>
      stripeFor(sandbox, 'nonsense').balance.retrieve(),
    );
    assert.ok(bad instanceof Stripe.errors.StripeAuthenticationError);
    assert.match(bad.message, /Invalid API Key provided/);
    const publishable = await failureOf<Stripe.errors.StripeAuthenticationError>(() =>
      stripeFor(sandbox, sandbox.keys.publishableTest).paymentIntents.create({
        amount: 1000,
        currency: 'usd',
      }),
    );
    assert.ok(publishable instanceof Stripe.errors.StripeAuthenticationError);
    const basic = await callApi(sandbox, 'GET', '/v1/balance', {
      headers: { Authorization: `Basic ${Buffer.from(`${sandbox.keys.secretTest}:`).toString('base64')}` },
    });
    assert.equal(basic.status, 200);
    assert.equal(basic.body.object, 'balance');
  });
});
