import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import {
  CARDS,
  EXP_YEAR,
  callApi,
  createCard,
  failureOf,
  startSandbox,
  stripeFor,
} from './sandbox-harness.test.js';

describe('Stripe sandbox: payments through the real stripe package', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('charges a 4242 card: the PaymentIntent succeeds with a retrievable latest_charge', async () => {
    const customer = await stripe.customers.create({ email: 'payer@example.com' });
    const card = await createCard(stripe, CARDS.visa);
    assert.equal(card.card?.brand, 'visa');
    assert.equal(card.card?.last4, '4242');
    const intent = await stripe.paymentIntents.create({
      amount: 1999,
      currency: 'usd',
      customer: customer.id,
      payment_method: card.id,
      confirm: true,
      metadata: { tenant_id: 'tenant_1' },
    });
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.amount_received, 1999);
    assert.match(intent.client_secret ?? '', new RegExp(`^${intent.id}_secret_`));
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.paid, true);
    assert.equal(charge.amount, 1999);
    assert.equal(charge.payment_intent, intent.id);
    assert.equal(charge.customer, customer.id);
    assert.equal(charge.payment_method_details?.card?.last4, '4242');
    assert.deepEqual(charge.metadata, { tenant_id: 'tenant_1' });
    const types = sandbox.events().map((event) => event.type);
    assert.ok(types.includes('charge.succeeded') && types.includes('payment_intent.succeeded'), types.join());
  });

  it('moves requires_payment_method -> requires_confirmation -> succeeded, and updates metadata', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 500, currency: 'eur' });
    assert.equal(intent.status, 'requires_payment_method');
    const card = await createCard(stripe, CARDS.visa);
    const updated = await stripe.paymentIntents.update(intent.id, {
      payment_method: card.id,
      metadata: { order: '42' },
    });
    assert.equal(updated.status, 'requires_confirmation');
    assert.deepEqual(updated.metadata, { order: '42' });
    const confirmed = await stripe.paymentIntents.confirm(intent.id);
    assert.equal(confirmed.status, 'succeeded');
    const again = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.confirm(intent.id),
    );
    assert.equal(again.code, 'payment_intent_unexpected_state');
  });

  it('accepts zero-decimal currencies and refuses amounts under the minimum', async () => {
    const yen = await stripe.paymentIntents.create({ amount: 500, currency: 'jpy' });
    assert.equal(yen.amount, 500);
    const small = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.create({ amount: 10, currency: 'usd' }),
    );
    assert.ok(small instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(small.code, 'amount_too_small');
    assert.equal(small.param, 'amount');
    assert.equal(small.message, 'Amount must be at least $0.50 usd');
    const currency = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.create({ amount: 1000, currency: 'zzz' }),
    );
    assert.equal(currency.param, 'currency');
  });

  const declines = [
    { number: CARDS.declined, code: 'card_declined', declineCode: 'generic_decline' },
    { number: CARDS.insufficientFunds, code: 'card_declined', declineCode: 'insufficient_funds' },
    { number: CARDS.expired, code: 'expired_card', declineCode: 'expired_card' },
    { number: CARDS.incorrectCvc, code: 'incorrect_cvc', declineCode: 'incorrect_cvc' },
  ];
  for (const { number, code, declineCode } of declines) {
    it(`declines ${number} as a StripeCardError with decline_code ${declineCode}`, async () => {
      const card = await createCard(stripe, number);
      const error = await failureOf<Stripe.errors.StripeCardError>(() =>
        stripe.paymentIntents.create({
          amount: 2000,
          currency: 'usd',
          payment_method: card.id,
          confirm: true,
        }),
      );
      assert.ok(error instanceof Stripe.errors.StripeCardError);
      assert.equal(error.statusCode, 402);
      assert.equal(error.code, code);
      assert.equal(error.decline_code, declineCode);
      assert.match(error.requestId ?? '', /^req_/);
      const embedded = error.payment_intent as Stripe.PaymentIntent;
      assert.equal(embedded.status, 'requires_payment_method');
      assert.equal(embedded.last_payment_error?.decline_code, declineCode);
      const stored = await stripe.paymentIntents.retrieve(embedded.id);
      assert.equal(stored.last_payment_error?.code, code);
      const charge = await stripe.charges.retrieve(String(stored.latest_charge));
      assert.equal(charge.status, 'failed');
      assert.equal(charge.failure_code, code);
      assert.ok(sandbox.events().some((event) => event.type === 'payment_intent.payment_failed'));
    });
  }

  it('validates card numbers and expiry when creating a payment method', async () => {
    const luhn = await failureOf<Stripe.errors.StripeCardError>(() =>
      stripe.paymentMethods.create({
        type: 'card',
        card: { number: '4242424242424241', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
      }),
    );
    assert.ok(luhn instanceof Stripe.errors.StripeCardError);
    assert.equal(luhn.code, 'incorrect_number');
    const year = await failureOf<Stripe.errors.StripeCardError>(() =>
      stripe.paymentMethods.create({
        type: 'card',
        card: { number: CARDS.visa, exp_month: 12, exp_year: 2001 },
      }),
    );
    assert.equal(year.code, 'invalid_expiry_year');
    assert.equal(year.param, 'exp_year');
    const month = await failureOf<Stripe.errors.StripeCardError>(() =>
      stripe.paymentMethods.create({
        type: 'card',
        card: { number: CARDS.visa, exp_month: 13, exp_year: EXP_YEAR },
      }),
    );
    assert.equal(month.code, 'invalid_expiry_month');
  });

  it('refuses unknown parameters as Stripe does', async () => {
    const error = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        amonut: 3,
      } as Stripe.PaymentIntentCreateParams),
    );
    assert.equal(error.code, 'parameter_unknown');
    assert.equal(error.param, 'amonut');
  });

  it('expands latest_charge and filters customers by email', async () => {
    await stripe.customers.create({ email: 'one@example.com' });
    const two = await stripe.customers.create({ email: 'two@example.com', name: 'Two' });
    const listed = await stripe.customers.list({ email: 'two@example.com' });
    assert.deepEqual(
      listed.data.map((customer) => customer.id),
      [two.id],
    );
    const found = await stripe.customers.search({ query: "email:'two@example.com'" });
    assert.deepEqual(
      found.data.map((customer) => customer.id),
      [two.id],
    );
    const card = await createCard(stripe, CARDS.visa);
    const intent = await stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      payment_method: card.id,
      confirm: true,
      expand: ['latest_charge'],
    });
    assert.equal((intent.latest_charge as Stripe.Charge).object, 'charge');
  });

  it('confirms with a confirmation token made by a publishable key, as Stripe.js does', async () => {
    const token = await callApi(sandbox, 'POST', '/v1/confirmation_tokens', {
      key: sandbox.keys.publishableTest,
      form: {
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': CARDS.visa,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': '34',
        'payment_method_data[card][cvc]': '123',
        'payment_method_data[billing_details][email]': 'payer@example.com',
      },
    });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.match(token.body.id, /^ctoken_/);
    const retrieved = await stripe.confirmationTokens.retrieve(token.body.id);
    assert.equal(retrieved.payment_method_preview?.card?.last4, '4242');
    assert.equal(retrieved.payment_method_preview?.billing_details.email, 'payer@example.com');
    const intent = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      confirmation_token: token.body.id,
      confirm: true,
    });
    assert.equal(intent.status, 'succeeded');
    const reused = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        confirmation_token: token.body.id,
        confirm: true,
      }),
    );
    assert.equal(reused.param, 'confirmation_token');
  });

  it('lets a publishable key read a PaymentIntent only with its client secret, and trims what it sees', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      metadata: { secret: 'x' },
    });
    const path = `/v1/payment_intents/${intent.id}`;
    const withSecret = await callApi(sandbox, 'GET', `${path}?client_secret=${intent.client_secret}`, {
      key: sandbox.keys.publishableTest,
    });
    assert.equal(withSecret.status, 200);
    assert.equal(withSecret.body.status, 'requires_payment_method');
    assert.equal(withSecret.body.metadata, undefined);
    const wrong = await callApi(sandbox, 'GET', `${path}?client_secret=${intent.id}_secret_nope`, {
      key: sandbox.keys.publishableTest,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.param, 'client_secret');
    const refused = await callApi(sandbox, 'GET', '/v1/customers', { key: sandbox.keys.publishableTest });
    assert.equal(refused.status, 401);
  });

  it('never stores or returns a full card number', async () => {
    const numbers = Object.values(CARDS);
    const bodies: string[] = [];
    for (const number of numbers) {
      const card = await createCard(stripe, number);
      bodies.push(JSON.stringify(card));
      try {
        bodies.push(
          JSON.stringify(
            await stripe.paymentIntents.create({
              amount: 1000,
              currency: 'usd',
              payment_method: card.id,
              confirm: true,
            }),
          ),
        );
      } catch (error) {
        bodies.push(JSON.stringify((error as Stripe.errors.StripeError).raw));
      }
    }
    const token = await callApi(sandbox, 'POST', '/v1/confirmation_tokens', {
      key: sandbox.keys.publishableTest,
      headers: { 'Idempotency-Key': 'token-1' },
      form: {
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': CARDS.visa,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': String(EXP_YEAR),
      },
    });
    bodies.push(JSON.stringify(token.body));
    const state = JSON.stringify(sandbox.dumpState());
    assert.ok(state.includes('4242'), 'the dump holds the stored objects');
    for (const number of numbers) {
      assert.ok(!state.includes(number), `sandbox state holds ${number}`);
      for (const body of bodies) assert.ok(!body.includes(number), `a response holds ${number}`);
    }
  });
});
