import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, createCard, failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: refunds', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let intent: Stripe.PaymentIntent;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
    const card = await createCard(stripe, CARDS.visa);
    intent = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: card.id,
      confirm: true,
    });
  });
  afterEach(() => sandbox.close());

  it('refunds the whole charge when no amount is given', async () => {
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.amount, 5000);
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.charge, intent.latest_charge);
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.refunded, true);
    assert.equal(charge.amount_refunded, 5000);
    assert.equal((await stripe.refunds.retrieve(refund.id)).id, refund.id);
    const refunded = sandbox.events().find((event) => event.type === 'charge.refunded');
    assert.ok(refunded, 'charge.refunded was emitted');
    assert.deepEqual((refunded.data as { previous_attributes: unknown }).previous_attributes, {
      amount_refunded: 0,
      refunded: false,
    });
    const again = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.refunds.create({ payment_intent: intent.id }),
    );
    assert.equal(again.code, 'charge_already_refunded');
  });

  it('accumulates partial refunds and refuses to refund more than is left', async () => {
    await stripe.refunds.create({ payment_intent: intent.id, amount: 2000 });
    await stripe.refunds.create({ charge: String(intent.latest_charge), amount: 1000 });
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.amount_refunded, 3000);
    assert.equal(charge.refunded, false);
    const over = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.refunds.create({ payment_intent: intent.id, amount: 2001 }),
    );
    assert.ok(over instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(over.param, 'amount');
    assert.equal(over.message, 'Refund amount ($20.01) is greater than unrefunded amount on charge ($20.00)');
    const rest = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(rest.amount, 2000);
    assert.equal((await stripe.refunds.list({ payment_intent: intent.id })).data.length, 3);
    const balance = await stripe.balance.retrieve();
    assert.deepEqual(balance.available, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);
  });

  it('refuses to refund a PaymentIntent that was never paid', async () => {
    const unpaid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const error = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.refunds.create({ payment_intent: unpaid.id }),
    );
    assert.equal(error.param, 'payment_intent');
  });
});
