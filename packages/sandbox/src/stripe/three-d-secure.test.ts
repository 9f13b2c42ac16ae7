import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, callApi, createCard, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: 3-D Secure', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  async function intentNeedingAction(extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
    const card = await createCard(stripe, CARDS.threeDSecure);
    const intent = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      payment_method: card.id,
      confirm: true,
      ...extra,
    });
    assert.equal(intent.status, 'requires_action');
    assert.equal(intent.next_action?.type, 'use_stripe_sdk');
    assert.ok(intent.next_action?.use_stripe_sdk);
    return intent;
  }

  function completeChallenge(
    intent: Stripe.PaymentIntent,
    result: 'succeed' | 'fail',
    secret = intent.client_secret,
  ) {
    return callApi(sandbox, 'POST', `/v1/payment_intents/${intent.id}/sandbox_3ds`, {
      key: sandbox.keys.publishableTest,
      form: { client_secret: String(secret), result },
    });
  }

  it('succeeds after the challenge passes, with an authenticated charge', async () => {
    const intent = await intentNeedingAction();
    const completed = await completeChallenge(intent, 'succeed');
    assert.equal(completed.status, 200, JSON.stringify(completed.body));
    assert.equal(completed.body.status, 'succeeded');
    const stored = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(stored.status, 'succeeded');
    const charge = await stripe.charges.retrieve(String(stored.latest_charge));
    assert.equal(charge.payment_method_details?.card?.three_d_secure?.result, 'authenticated');
    assert.ok(sandbox.events().some((event) => event.type === 'payment_intent.requires_action'));
  });

  it('goes back to requires_payment_method when the challenge fails', async () => {
    const intent = await intentNeedingAction();
    const completed = await completeChallenge(intent, 'fail');
    assert.equal(completed.status, 200);
    const stored = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(stored.status, 'requires_payment_method');
    assert.equal(stored.last_payment_error?.code, 'payment_intent_authentication_failure');
    assert.equal(stored.latest_charge, null);
  });

  it('stops at requires_confirmation for manual confirmation, then succeeds on confirm', async () => {
    const intent = await intentNeedingAction({ confirmation_method: 'manual' });
    const completed = await completeChallenge(intent, 'succeed');
    assert.equal(completed.body.status, 'requires_confirmation');
    const confirmed = await stripe.paymentIntents.confirm(intent.id);
    assert.equal(confirmed.status, 'succeeded');
  });

  it('refuses a wrong client secret and a PaymentIntent with no challenge', async () => {
    const intent = await intentNeedingAction();
    const wrong = await completeChallenge(intent, 'succeed', `${intent.id}_secret_wrong`);
    assert.equal(wrong.status, 400);
    await completeChallenge(intent, 'succeed');
    const twice = await completeChallenge(intent, 'succeed');
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error.code, 'payment_intent_unexpected_state');
  });

  it('confirms from the browser with payment_method_data and a publishable key', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd' });
    const confirmed = await callApi(sandbox, 'POST', `/v1/payment_intents/${intent.id}/confirm`, {
      key: sandbox.keys.publishableTest,
      form: {
        client_secret: String(intent.client_secret),
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': CARDS.threeDSecure,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': '34',
      },
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, 'requires_action');
    const preflight = await fetch(`${sandbox.url}/v1/payment_intents/${intent.id}/sandbox_3ds`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    const completed = await callApi(sandbox, 'POST', `/v1/payment_intents/${intent.id}/sandbox_3ds`, {
      key: sandbox.keys.publishableTest,
      form: { client_secret: String(intent.client_secret), result: 'succeed' },
    });
    assert.equal(completed.headers.get('access-control-allow-origin'), '*');
    assert.equal(completed.body.status, 'succeeded');
    const declined = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd' });
    const error = await callApi(sandbox, 'POST', `/v1/payment_intents/${declined.id}/confirm`, {
      key: sandbox.keys.publishableTest,
      form: {
        client_secret: String(declined.client_secret),
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': CARDS.declined,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': '34',
      },
    });
    assert.equal(error.status, 402);
    assert.equal(
      error.body.error.payment_intent.metadata,
      undefined,
      'a publishable key sees the trimmed intent',
    );
  });
});
