import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { callApi, CARDS, createCard, failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: deleting a customer', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('answers the deleted stub, then only a retrieve knows the id', async () => {
    const customer = await stripe.customers.create({ email: 'gone@example.com' });
    const card = await createCard(stripe, CARDS.visa);
    await stripe.paymentMethods.attach(card.id, { customer: customer.id });

    const deleted = await stripe.customers.del(customer.id);
    assert.deepEqual({ ...deleted }, { id: customer.id, object: 'customer', deleted: true });
    const retrieved = await stripe.customers.retrieve(customer.id);
    assert.deepEqual({ ...retrieved }, { id: customer.id, object: 'customer', deleted: true });

    const onIntent = await failureOf<Stripe.errors.StripeInvalidRequestError>(() =>
      stripe.paymentIntents.create({ amount: 500, currency: 'usd', customer: customer.id }),
    );
    assert.equal(onIntent.type, 'StripeInvalidRequestError');
    assert.equal(onIntent.code, 'resource_missing');
    assert.equal(onIntent.param, 'customer');
    assert.equal(onIntent.message, `No such customer: '${customer.id}'`);

    for (const call of [
      () => stripe.customers.update(customer.id, { name: 'Back' }),
      () => stripe.customers.del(customer.id),
      () => stripe.paymentMethods.attach(card.id, { customer: customer.id }),
    ]) {
      assert.equal((await failureOf(call)).code, 'resource_missing');
    }
    assert.equal((await stripe.paymentMethods.retrieve(card.id)).customer, null, 'detached');
    assert.deepEqual((await stripe.customers.list({ email: 'gone@example.com' })).data, []);
    assert.deepEqual(sandbox.customers(), []);
    assert.ok(sandbox.events().some((event) => event.type === 'customer.deleted'));
  });

  it('answers an unknown id with resource_missing, and over raw HTTP as Stripe does', async () => {
    const missing = await callApi(sandbox, 'DELETE', '/v1/customers/cus_nothere', {
      key: sandbox.keys.secretTest,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'resource_missing');
    assert.equal(missing.body.error.param, 'id');
  });
});
