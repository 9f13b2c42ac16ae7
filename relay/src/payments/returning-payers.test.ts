import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import Stripe from 'stripe';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../testing/payment-fixtures.js';
import { startStripeFaultProxy, type StripeFaultProxy } from '../testing/stripe-fault-proxy.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

/**
 * Returning payers whose stored Stripe customer went stale: deleted in the dashboard, or made on
 * another Stripe account than the one the tenant charges on now. The relay talks to the sandbox
 * through a proxy that can lose an answer after Stripe acted (a crash or a dropped connection).
 */
describe('returning payers with a stale Stripe customer (relay + Stripe sandbox + real database)', function () {
  this.timeout(90_000);
  let sandbox: StripeSandbox;
  let proxy: StripeFaultProxy;
  let relay: TestRelay;
  let stripe: Stripe;
  let loseAnswersTo: ((key: string | undefined) => boolean) | undefined;

  before(async () => {
    sandbox = await startStripeSandbox();
    proxy = await startStripeFaultProxy(
      sandbox.url,
      (request) => request.method === 'POST' && loseAnswersTo?.(request.idempotencyKey) === true,
    );
    relay = await startTestRelay({ url: proxy.url, keys: sandbox.keys });
    stripe = new Stripe(sandbox.keys.secretTest, {
      host: '127.0.0.1',
      port: sandbox.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  });
  after(async () => {
    await relay?.close();
    await proxy?.close();
    await sandbox?.close();
  });
  afterEach(() => {
    loseAnswersTo = undefined;
  });

  type Seeded = Awaited<ReturnType<typeof seedTenantWithForm>>;
  const knex = () => relay.database.knex;
  const card = (number = '4242424242424242', account?: string | null) =>
    createCardPaymentMethod(sandbox.url, sandbox.keys.publishableTest, number, account);
  const payAs = (seeded: Seeded, email: string, stripeRef: Record<string, string>) =>
    paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, '', {
      contact: { email, firstName: 'Grace', lastName: 'Hopper' },
      stripe: stripeRef,
    });
  const pay = (body: unknown) => postJson(`${relay.url}/v1/payments`, body);
  const customersOf = (email: string, account?: string) =>
    sandbox.customers(account).filter((customer) => customer.email === email);
  const customerIds = async (tenantId: string, email: string) => {
    const rows = await knex()('contact_provider_customers as pc')
      .join('contacts as c', function () {
        this.on('c.id', '=', 'pc.contact_id').andOn('c.tenant_id', '=', 'pc.tenant_id');
      })
      .where({ 'c.tenant_id': tenantId, 'c.email': email })
      .orderBy('pc.created_at')
      .select('pc.account', 'pc.customer_id');
    return rows.map((row) => ({
      account: row.account as string | null,
      customer: row.customer_id as string,
    }));
  };
  const contactCustomer = async (tenantId: string, email: string) =>
    (await knex()('contacts').where({ tenant_id: tenantId, email }).first('stripe_customer_id'))
      ?.stripe_customer_id as string | undefined;
  const calls = (from: number) =>
    sandbox
      .requestLog()
      .slice(from)
      // What the relay asked; the payer's browser makes the payment methods.
      .filter((entry) => entry.method === 'POST' && entry.path !== '/v1/payment_methods')
      .map((entry) => `${entry.path} ${entry.status}`);

  async function returningPayer(email: string, seeded?: Seeded) {
    const tenant = seeded ?? (await seedTenantWithForm(knex(), { name: `Shop ${email}` }));
    const first = await pay(payAs(tenant, email, { paymentMethodId: await card() }));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const [customer] = customersOf(email);
    assert.ok(customer, 'the first payment made a customer');
    return { seeded: tenant, customerId: customer.id };
  }

  it('makes a new customer when the stored one was deleted, stores it, and charges once', async () => {
    const email = 'deleted.once@example.com';
    const { seeded, customerId } = await returningPayer(email);
    await stripe.customers.del(customerId);
    const intentsBefore = sandbox.paymentIntents().length;
    const logged = sandbox.requestLog().length;

    const second = await pay(payAs(seeded, email, { paymentMethodId: await card() }));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.status, 'succeeded');
    assert.deepEqual(calls(logged), [
      '/v1/payment_intents 404',
      '/v1/customers 200',
      '/v1/payment_intents 200',
    ]);
    assert.equal(sandbox.paymentIntents().length - intentsBefore, 1, 'exactly one PaymentIntent');
    const [replacement] = customersOf(email);
    assert.ok(replacement && replacement.id !== customerId);
    assert.equal(customersOf(email).length, 1);
    assert.equal(await contactCustomer(seeded.tenant.id, email), replacement.id);
    assert.deepEqual(await customerIds(seeded.tenant.id, email), [
      { account: null, customer: replacement.id },
    ]);
    const row = await knex()('transactions').where({ id: second.body.transactionId }).first();
    const intent = sandbox.paymentIntents().find((candidate) => candidate.id === row.provider_payment_id);
    assert.equal(intent?.customer, replacement.id);

    // The next payment uses the new customer straight away.
    const third = await pay(payAs(seeded, email, { paymentMethodId: await card() }));
    assert.equal(third.status, 200);
    assert.equal(customersOf(email).length, 1);
  });

  it('keeps each Stripe account its own customer: switching accounts and back', async () => {
    const email = 'switcher@example.com';
    const { seeded, customerId: platformCustomer } = await returningPayer(email);
    const account = await stripe.accounts.create({ type: 'standard' });
    await switchAccount(seeded, account.id);

    const onConnected = await pay(
      payAs(seeded, email, { paymentMethodId: await card('4242424242424242', account.id) }),
    );
    assert.equal(onConnected.status, 200, JSON.stringify(onConnected.body));
    const [connectedCustomer] = customersOf(email, account.id);
    assert.ok(connectedCustomer, 'a customer under the connected account');
    assert.equal(sandbox.paymentIntents(account.id).length, 1);
    assert.deepEqual(await customerIds(seeded.tenant.id, email), [
      { account: null, customer: platformCustomer },
      { account: account.id, customer: connectedCustomer.id },
    ]);

    await switchAccount(seeded, null);
    const logged = sandbox.requestLog().length;
    const back = await pay(payAs(seeded, email, { paymentMethodId: await card() }));
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(calls(logged), ['/v1/payment_intents 200'], 'the platform customer is reused');
    assert.equal(customersOf(email).length, 1);
    const row = await knex()('transactions').where({ id: back.body.transactionId }).first();
    assert.equal(
      sandbox.paymentIntents().find((intent) => intent.id === row.provider_payment_id)?.customer,
      platformCustomer,
    );
  });

  for (const [what, stripeRef, param] of [
    ['payment method', { paymentMethodId: 'pm_doesnotexist' }, 'payment_method'],
    ['confirmation token', { confirmationTokenId: 'ctoken_doesnotexist' }, 'confirmation_token'],
  ] as const) {
    it(`answers a missing ${what} with a clear 402 and no new customer or retry`, async () => {
      const email = `missing.${param}@example.com`;
      const { seeded, customerId } = await returningPayer(email);
      const logged = sandbox.requestLog().length;
      const request = payAs(seeded, email, stripeRef);
      const answer = await pay(request);
      assert.equal(answer.status, 402, JSON.stringify(answer.body));
      assert.equal((answer.body.error as { code: string }).code, 'payment_failed');
      assert.deepEqual(calls(logged), ['/v1/payment_intents 404']);
      assert.deepEqual(
        customersOf(email).map((customer) => customer.id),
        [customerId],
      );
      const failed = await knex()('transactions')
        .where({ tenant_id: seeded.tenant.id, attempt_id: request.attemptId })
        .first('status', 'failure_code');
      assert.deepEqual(failed, { status: 'failed', failure_code: 'resource_missing' });
    });
  }

  for (const copies of [50, 200]) {
    it(`gives one charge and one new customer for ${copies} concurrent copies of one submit`, async function () {
      this.timeout(120_000);
      const email = `storm${copies}@example.com`;
      const { seeded, customerId } = await returningPayer(email);
      await stripe.customers.del(customerId);
      const intentsBefore = sandbox.paymentIntents().length;
      const request = payAs(seeded, email, { paymentMethodId: await card() });
      const answers = await Promise.all(Array.from({ length: copies }, () => pay(request)));
      assert.deepEqual(
        [...new Set(answers.map((answer) => `${answer.status}:${answer.body.status}`))],
        ['200:succeeded'],
      );
      assert.equal(new Set(answers.map((answer) => answer.body.transactionId)).size, 1);
      assert.equal(sandbox.paymentIntents().length - intentsBefore, 1, 'one charge');
      assert.equal(customersOf(email).length, 1, 'one new customer');
      assert.notEqual(customersOf(email)[0]?.id, customerId);
    });
  }

  it('recovers an attempt interrupted between the two tries like any other: one charge, one customer', async () => {
    const email = 'interrupted@example.com';
    const { seeded, customerId } = await returningPayer(email);
    await stripe.customers.del(customerId);
    const intentsBefore = sandbox.paymentIntents().length;
    const request = payAs(seeded, email, { paymentMethodId: await card() });
    // Stripe makes the second try's PaymentIntent, but its answer never reaches the relay.
    loseAnswersTo = (key) => key?.endsWith(':customer-2') === true && key.startsWith('opp_pi_');
    const interrupted = await pay(request);
    assert.equal(interrupted.status, 503, JSON.stringify(interrupted.body));
    assert.equal((interrupted.body.error as { code: string }).code, 'provider_unavailable');
    assert.equal(
      sandbox.paymentIntents().length - intentsBefore,
      1,
      'Stripe charged before the answer was lost',
    );

    loseAnswersTo = undefined;
    const retried = await pay(request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'succeeded');
    assert.equal(sandbox.paymentIntents().length - intentsBefore, 1, 'still one charge');
    assert.equal(customersOf(email).length, 1, 'still one new customer');
    assert.equal(await contactCustomer(seeded.tenant.id, email), customersOf(email)[0]?.id);
  });

  /** What an operator does when a tenant connects another Stripe account (null: the platform's own). */
  async function switchAccount(seeded: Seeded, account: string | null) {
    await knex()('tenants').where({ id: seeded.tenant.id }).update({ stripe_account_id: account });
    // Tenants are cached for a few seconds per relay process: wait until the relay sees the switch.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const config = (await fetch(
        `${relay.url}/v1/forms/${seeded.tenant.id}/${seeded.form.hubspotFormGuid}`,
      ).then((response) => response.json())) as { stripe: { accountId: string | null } };
      if ((config.stripe.accountId ?? null) === account) return;
      assert.ok(Date.now() < deadline, 'the relay never saw the account switch');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
