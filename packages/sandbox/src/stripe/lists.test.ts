import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, createCard, startSandbox, stripeFor } from './sandbox-harness.test.js';

const EMAILS = ['a@example.com', 'b@example.com', 'c@example.com'];

describe('Stripe sandbox: filtered lists and event snapshots', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeEach(async () => {
    sandbox = await startSandbox();
    stripe = stripeFor(sandbox);
  });
  afterEach(() => sandbox.close());

  /** Ids of every page of `email`'s customers, `limit` at a time, following `starting_after`. */
  async function customerIdsByEmail(email: string, limit: number): Promise<string[]> {
    return (await stripe.customers.list({ email, limit }).autoPagingToArray({ limit: 1000 })).map(
      (customer) => customer.id,
    );
  }

  /** What the email filter must answer: every customer, newest first, with that email. */
  function expectedIdsByEmail(email: string): string[] {
    return sandbox
      .customers()
      .filter((customer) => customer.email === email)
      .map((customer) => customer.id)
      .reverse();
  }

  it('lists customers by email, newest first and page by page, among many', async () => {
    for (let i = 0; i < 45; i += 1) await stripe.customers.create({ email: EMAILS[i % 3] as string });
    const first = await stripe.customers.list({ email: 'b@example.com', limit: 4 });
    assert.equal(first.data.length, 4);
    assert.equal(first.has_more, true);
    for (const email of EMAILS) {
      assert.deepEqual(await customerIdsByEmail(email, 4), expectedIdsByEmail(email));
      assert.equal(expectedIdsByEmail(email).length, 15);
    }
    const last = await stripe.customers.list({ email: 'a@example.com', limit: 15 });
    assert.equal(last.has_more, false);
    assert.deepEqual((await stripe.customers.list({ email: 'A@example.com' })).data, []);
  });

  it('moves a customer between email lists when an update changes the email, keeping creation order', async () => {
    const created: Stripe.Customer[] = [];
    for (let i = 0; i < 12; i += 1)
      created.push(await stripe.customers.create({ email: EMAILS[i % 3] as string }));
    const oldest = created[1] as Stripe.Customer; // b@, created second
    await stripe.customers.update(oldest.id, { email: 'a@example.com' });
    const aIds = await customerIdsByEmail('a@example.com', 3);
    assert.deepEqual(aIds, expectedIdsByEmail('a@example.com'));
    assert.equal(aIds.at(-2), oldest.id, 'between the first and the second a@ customer');
    assert.ok(!(await customerIdsByEmail('b@example.com', 3)).includes(oldest.id));

    await stripe.customers.update(oldest.id, { name: 'Renamed' });
    assert.deepEqual(
      await customerIdsByEmail('a@example.com', 5),
      aIds,
      'other fields leave the lists alone',
    );
    await stripe.customers.update(oldest.id, { email: '' });
    assert.ok(!(await customerIdsByEmail('a@example.com', 5)).includes(oldest.id), 'no email, no list');
    await stripe.customers.update(oldest.id, { email: 'b@example.com' });
    assert.deepEqual(await customerIdsByEmail('b@example.com', 2), expectedIdsByEmail('b@example.com'));
    assert.equal((await customerIdsByEmail('b@example.com', 2)).at(-1), oldest.id);
  });

  it('lists payment intents by customer, also after one changes customer', async () => {
    const [one, two] = [await stripe.customers.create(), await stripe.customers.create()];
    const intents: Stripe.PaymentIntent[] = [];
    for (let i = 0; i < 6; i += 1) {
      const customer = (i % 2 === 0 ? one : two).id;
      intents.push(await stripe.paymentIntents.create({ amount: 100 + i, currency: 'usd', customer }));
    }
    const ids = async (customer: string) =>
      (await stripe.paymentIntents.list({ customer, limit: 2 }).autoPagingToArray({ limit: 100 })).map(
        (intent) => intent.id,
      );
    const [i0, i1, i2, i3, i4, i5] = intents.map((intent) => intent.id);
    assert.deepEqual(await ids(one.id), [i4, i2, i0]);
    assert.deepEqual(await ids(two.id), [i5, i3, i1]);
    await stripe.paymentIntents.update(i0 as string, { customer: two.id });
    assert.deepEqual(await ids(one.id), [i4, i2]);
    assert.deepEqual(await ids(two.id), [i5, i3, i1, i0]);
  });

  it('lists charges by payment intent and by customer', async () => {
    const customer = await stripe.customers.create();
    const pay = async (withCustomer: boolean) =>
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: (await createCard(stripe, CARDS.visa)).id,
        confirm: true,
        ...(withCustomer ? { customer: customer.id } : {}),
      });
    const paid = await pay(true);
    const other = await pay(false);
    const byIntent = await stripe.charges.list({ payment_intent: paid.id });
    assert.deepEqual(
      byIntent.data.map((charge) => charge.id),
      [paid.latest_charge],
    );
    const byCustomer = await stripe.charges.list({ customer: customer.id });
    assert.deepEqual(
      byCustomer.data.map((charge) => charge.id),
      [paid.latest_charge],
    );
    assert.deepEqual(
      (await stripe.charges.list({ payment_intent: other.id, customer: customer.id })).data,
      [],
    );
    assert.equal((await stripe.charges.list()).data.length, 2);
  });

  it('keeps each event as the object was when it happened', async () => {
    const customer = await stripe.customers.create({ email: 'before@example.com', metadata: { step: '1' } });
    await stripe.customers.update(customer.id, { email: 'after@example.com', metadata: { step: '2' } });
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: (await createCard(stripe, CARDS.visa)).id,
      confirm: true,
    });
    assert.equal(intent.status, 'succeeded');
    const events = (await stripe.events.list({ limit: 100 })).data;
    const objectOf = (type: string) =>
      events.find((event) => event.type === type)?.data.object as unknown as Record<string, unknown>;
    assert.equal(objectOf('customer.created').email, 'before@example.com');
    assert.deepEqual(objectOf('customer.created').metadata, { step: '1' });
    assert.equal(objectOf('customer.updated').email, 'after@example.com');
    assert.equal(objectOf('payment_intent.created').status, 'requires_confirmation');
    assert.equal(objectOf('payment_intent.created').latest_charge, null);
    assert.equal(objectOf('payment_intent.succeeded').status, 'succeeded');
    const stored = await stripe.events.retrieve(
      events.find((event) => event.type === 'customer.created')?.id ?? '',
    );
    assert.equal((stored.data.object as Stripe.Customer).email, 'before@example.com');
    // The live objects stay editable after their events took snapshots.
    const updated = await stripe.customers.update(customer.id, {
      metadata: { step: '3' },
      address: { city: 'Oslo' },
    });
    assert.deepEqual(updated.metadata, { step: '3' });
  });
});
