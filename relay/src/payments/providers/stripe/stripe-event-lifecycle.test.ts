import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../../../testing/payment-fixtures.js';
import { startTestRelay, TEST_WEBHOOK_SECRET, type TestRelay } from '../../../testing/test-relay.js';
import { createLogger } from '../../../logger.js';
import { runReconciliationSweep, sweepWindow } from '../../../reconciliation/run-sweep.js';
import { setStripeAccount } from '../../../tenants/set-stripe-account.js';
import { PAYMENT_PROVIDERS } from '../index.js';
import { PINNED_API_VERSION } from './event-version.js';

const ASYNC_SUCCEEDS = '4000000000007700';
const ASYNC_FAILS = '4000000000007718';

/**
 * Issue 13, items 8-9, through signed webhooks the sandbox sends to a real relay: payments that
 * settle later, the dispute lifecycle after charge.dispute.created, and events rendered in the
 * endpoint's API version rather than the relay's.
 */
describe('Stripe webhooks: async payments, dispute closure, endpoint API versions', function () {
  this.timeout(120_000);
  let sandbox: StripeSandbox;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;
  let stripe: Stripe;

  before(async () => {
    sandbox = await startStripeSandbox({ webhookRetryDelaysMs: [50] });
    relay = await startTestRelay(sandbox);
    sandbox.setWebhook({ url: `${relay.url}/v1/webhooks/stripe`, secret: TEST_WEBHOOK_SECRET });
    seeded = await seedTenantWithForm(relay.database.knex);
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
    await sandbox?.close();
  });
  afterEach(() =>
    sandbox.setWebhook({ url: `${relay.url}/v1/webhooks/stripe`, secret: TEST_WEBHOOK_SECRET }),
  );

  async function pay(cardNumber: string) {
    const card = await createCardPaymentMethod(sandbox.url, sandbox.keys.publishableTest, cardNumber);
    const response = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, card),
    );
    await sandbox.settleWebhooks();
    return response;
  }
  const row = (id: unknown) => relay.database.knex('transactions').where({ id }).first();
  // The status changes HubSpot was told of. A `contact:` push is left out: when the webhook records
  // the payment before the API response links its contact, the link is pushed on its own (the
  // order is up to the two, and PostgreSQL runs them at once), which these tests are not about.
  const outboxReasons = async (id: unknown) =>
    (await relay.database.knex('outbox').where({ transaction_id: id }).orderBy('created_at'))
      .map((job: { dedupe_key: string }) => job.dedupe_key.split(':').slice(2).join(':'))
      .filter((reason: string) => !reason.startsWith('contact:'));

  it('records an async payment as processing, then paid when it settles, and only then queues HubSpot', async () => {
    const paid = await pay(ASYNC_SUCCEEDS);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'processing');
    const id = paid.body.transactionId;
    assert.equal((await row(id)).status, 'processing');
    assert.deepEqual(await outboxReasons(id), []);
    const delivered = sandbox
      .webhookAttempts()
      .filter((attempt) => attempt.type === 'payment_intent.processing');
    assert.equal(delivered.at(-1)?.status, 200);

    assert.equal(sandbox.settleAsyncPayments(), 1);
    await sandbox.settleWebhooks();
    const settled = await row(id);
    assert.equal(settled.status, 'succeeded');
    assert.deepEqual(await outboxReasons(id), ['succeeded:0']);
  });

  it('records an async payment that fails later as failed, with the decline code', async () => {
    const paid = await pay(ASYNC_FAILS);
    assert.equal(paid.body.status, 'processing');
    sandbox.settleAsyncPayments();
    await sandbox.settleWebhooks();
    const failed = await row(paid.body.transactionId);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure_code, 'card_declined');
    assert.equal(failed.decline_code, 'generic_decline');
    assert.deepEqual(await outboxReasons(paid.body.transactionId), [], 'HubSpot never heard of it');
  });

  /** Sends one event the sandbox recorded to the relay, signed as Stripe signs it, in the order the test picks. */
  async function deliver(event: Record<string, unknown>) {
    const payload = JSON.stringify(event, null, 2);
    const response = await fetch(`${relay.url}/v1/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': stripe.webhooks.generateTestHeaderString({
          payload,
          secret: TEST_WEBHOOK_SECRET,
        }),
      },
      body: payload,
    });
    assert.equal(response.status, 200, `${String(event.type)}: ${await response.text()}`);
  }

  /** Disputes the transaction's payment through the sandbox's helper; the payment is then `disputed`. */
  async function openDispute(id: unknown): Promise<{ id: string }> {
    const intentId = (await row(id)).provider_payment_id as string;
    const opened = await fetch(`${sandbox.url}/v1/test_helpers/sandbox/disputes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.keys.secretTest}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ payment_intent: intentId }),
    }).then((response) => response.json() as Promise<{ id: string }>);
    await sandbox.settleWebhooks();
    assert.equal((await row(id)).status, 'disputed');
    return opened;
  }

  async function disputeAndClose(evidence: 'winning_evidence' | 'losing_evidence') {
    const paid = await pay('4242424242424242');
    assert.equal(paid.body.status, 'succeeded');
    const id = paid.body.transactionId;
    const opened = await openDispute(id);
    const closed = await stripe.disputes.update(opened.id, { evidence: { uncategorized_text: evidence } });
    await sandbox.settleWebhooks();
    return { id, closed };
  }

  it('puts a payment whose dispute was won back to paid, and tells HubSpot', async () => {
    const { id, closed } = await disputeAndClose('winning_evidence');
    assert.equal(closed.status, 'won');
    const types = sandbox.events().map((event) => event.type);
    assert.ok(types.includes('charge.dispute.updated') && types.includes('charge.dispute.closed'));
    assert.equal((await row(id)).status, 'succeeded');
    assert.deepEqual(await outboxReasons(id), ['succeeded:0', 'disputed:0', 'succeeded:0:dispute-won']);
  });

  it('keeps a won dispute won when its `updated` event arrives after its `closed` one', async () => {
    // Stripe does not promise event order, and the sandbox delivers concurrently: PostgreSQL once
    // committed `updated` last and the payment went back to disputed. Here the order is forced.
    const paid = await pay('4242424242424242');
    const id = paid.body.transactionId;
    const opened = await openDispute(id);

    sandbox.setWebhook(null);
    await stripe.disputes.update(opened.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    const ofThisDispute = (type: string) =>
      sandbox
        .events()
        .find(
          (event) =>
            event.type === type && (event.data as { object: { id: string } }).object.id === opened.id,
        )!;
    for (const type of ['charge.dispute.closed', 'charge.dispute.updated'])
      await deliver(ofThisDispute(type));
    assert.equal((await row(id)).status, 'succeeded');
    assert.deepEqual(await outboxReasons(id), ['succeeded:0', 'disputed:0', 'succeeded:0:dispute-won']);
  });

  it('keeps a payment whose dispute was lost disputed', async () => {
    const { id, closed } = await disputeAndClose('losing_evidence');
    assert.equal(closed.status, 'lost');
    assert.equal((await row(id)).status, 'disputed');
    assert.deepEqual(await outboxReasons(id), ['succeeded:0', 'disputed:0']);
  });

  it('gives the money back to the payment when its refund fails later, and tells HubSpot', async () => {
    const paid = await pay('4000000000005126');
    assert.equal(paid.body.status, 'succeeded');
    const id = paid.body.transactionId;
    const intentId = (await row(id)).provider_payment_id as string;
    const refund = await stripe.refunds.create({ payment_intent: intentId });
    assert.equal(refund.status, 'succeeded', 'Stripe reports the refund succeeded at first');
    await sandbox.settleWebhooks();
    assert.equal((await row(id)).status, 'refunded');

    assert.equal(sandbox.settleAsyncPayments(), 1);
    await sandbox.settleWebhooks();
    const types = sandbox.webhookAttempts().map((attempt) => attempt.type);
    assert.ok(types.includes('refund.failed') && types.includes('refund.updated'));
    const after = await row(id);
    assert.equal(after.status, 'succeeded');
    assert.equal(after.amount_refunded, 0);
    assert.deepEqual(await outboxReasons(id), ['succeeded:0', 'refunded:4900', 'succeeded:0:refund-failed']);
  });

  it('keeps a payment paid when its `charge.refunded` arrives after the `refund.failed` that undid it', async () => {
    // A retried delivery can come late: the event's charge still says refunded, Stripe's no longer does.
    const paid = await pay('4000000000005126');
    const id = paid.body.transactionId;
    const intentId = (await row(id)).provider_payment_id as string;
    sandbox.setWebhook(null);
    await stripe.refunds.create({ payment_intent: intentId });
    assert.equal(sandbox.settleAsyncPayments(), 1);
    const ofThisPayment = (type: string) =>
      sandbox.events().find((event) => {
        const object = (event.data as { object: { payment_intent?: string } }).object;
        return event.type === type && object.payment_intent === intentId;
      })!;
    const lateRefunded = ofThisPayment('charge.refunded');
    assert.equal((lateRefunded.data as { object: Stripe.Charge }).object.amount_refunded, 4900);
    await deliver(ofThisPayment('refund.failed'));
    await deliver(lateRefunded);
    const after = await row(id);
    assert.equal(after.status, 'succeeded');
    assert.equal(after.amount_refunded, 0);
    assert.deepEqual(await outboxReasons(id), ['succeeded:0']);
  });

  it('refuses card payments on a connected account that disconnected the platform until the operator reconnects it', async () => {
    const account = await fetch(`${sandbox.url}/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.keys.secretTest}` },
    }).then((response) => response.json() as Promise<{ id: string }>);
    const connected = await seedTenantWithForm(relay.database.knex, {
      stripeAccountId: account.id,
      name: 'Connected Workshops',
    });
    const payOnAccount = async () => {
      const card = await createCardPaymentMethod(
        sandbox.url,
        sandbox.keys.publishableTest,
        '4242424242424242',
        account.id,
      );
      return postJson(
        `${relay.url}/v1/payments`,
        paymentRequest(connected.tenant.id, connected.form.hubspotFormGuid, card),
      );
    };
    const intentsOnAccount = () =>
      sandbox.requestLog().filter((entry) => entry.method === 'POST' && entry.path === '/v1/payment_intents')
        .length;
    assert.equal((await payOnAccount()).status, 200, 'a connected account takes payments');

    const application = { id: 'ca_onepagepay', object: 'application', name: 'OnePagePay' };
    await sandbox.emitEvent('account.application.deauthorized', application, account.id);
    await sandbox.settleWebhooks();
    const event = sandbox
      .events(account.id, false)
      .find((candidate) => candidate.type === 'account.application.deauthorized');
    assert.ok(event);
    const attempts = sandbox.webhookAttempts().filter((attempt) => attempt.eventId === event.id);
    assert.equal(attempts.at(-1)?.status, 200);
    const warnings = relay.logLines.filter((line) => line.includes('disconnected the platform'));
    assert.equal(warnings.length, 1, 'the operator is told once');
    assert.ok(warnings[0]?.includes(connected.tenant.id));
    const recorded = await relay.database
      .knex('stripe_deauthorized_accounts')
      .where({ account_id: account.id })
      .first();
    assert.equal(recorded?.event_id, event.id);

    // Refused before anything is claimed or sent to Stripe: no PaymentIntent, no transaction.
    const intentsBefore = intentsOnAccount();
    const transactionsBefore = await relay.database
      .knex('transactions')
      .where({ tenant_id: connected.tenant.id })
      .count<{ count: string }[]>('* as count');
    const refused = await payOnAccount();
    assert.equal(refused.status, 503);
    assert.equal((refused.body.error as { code: string }).code, 'provider_unavailable');
    assert.match((refused.body.error as { message: string }).message, /disconnected OnePagePay/);
    assert.equal(intentsOnAccount(), intentsBefore);
    assert.deepEqual(
      await relay.database
        .knex('transactions')
        .where({ tenant_id: connected.tenant.id })
        .count<{ count: string }[]>('* as count'),
      transactionsBefore,
    );
    // The platform's own tenants are untouched.
    assert.equal((await pay('4242424242424242')).status, 200);

    // The sweep leaves the account alone too: Stripe would refuse every list on it.
    const listsOnAccount = () =>
      sandbox
        .requestLog()
        .filter(
          (entry) =>
            entry.method === 'GET' && entry.path === '/v1/payment_intents' && entry.account === account.id,
        ).length;
    const listsBefore = listsOnAccount();
    const report = await runReconciliationSweep(
      PAYMENT_PROVIDERS,
      {
        knex: relay.database.app?.knex ?? relay.database.knex,
        stripe: relay.stripe,
        paypal: relay.paypal,
        logger: createLogger({ level: 'silent' }),
      },
      { ...sweepWindow(Date.now() + 1_000, 3_600_000, 0), dryRun: true },
    );
    assert.deepEqual(report.errors, []);
    assert.equal(listsOnAccount(), listsBefore, 'no list on the disconnected account');

    // The merchant connects again and the operator points the tenant at the account once more.
    await setStripeAccount(relay.database.knex, connected.tenant.id, account.id);
    assert.equal((await payOnAccount()).status, 200, 'card payments resume');
  });

  it("reads events sent in the endpoint's API version through the API, in the pinned one, and says so", async () => {
    const otherVersion = '2025-01-27.acacia';
    assert.notEqual(otherVersion, PINNED_API_VERSION);
    sandbox.setWebhook({
      url: `${relay.url}/v1/webhooks/stripe`,
      secret: TEST_WEBHOOK_SECRET,
      apiVersion: otherVersion,
    });
    const paid = await pay(ASYNC_SUCCEEDS);
    const intentId = (await row(paid.body.transactionId)).provider_payment_id as string;
    const refetchesBefore = sandbox
      .requestLog()
      .filter((entry) => entry.method === 'GET' && entry.path === `/v1/payment_intents/${intentId}`).length;
    sandbox.settleAsyncPayments();
    await sandbox.settleWebhooks();
    assert.equal((await row(paid.body.transactionId)).status, 'succeeded');
    const refetches = sandbox
      .requestLog()
      .filter((entry) => entry.method === 'GET' && entry.path === `/v1/payment_intents/${intentId}`).length;
    assert.ok(refetches > refetchesBefore, 'the event object was fetched again in the pinned version');
    const warnings = relay.logLines.filter((line) => line.includes(`API version ${otherVersion}`));
    assert.equal(warnings.length, 1, 'operators are told once, not per event');
  });

  it('fetches a dispute event of another API version once, not once for the version and again for the order', async () => {
    const paid = await pay('4242424242424242');
    sandbox.setWebhook({
      url: `${relay.url}/v1/webhooks/stripe`,
      secret: TEST_WEBHOOK_SECRET,
      apiVersion: '2025-01-27.acacia',
    });
    const opened = await openDispute(paid.body.transactionId);
    const eventIds = new Set(
      sandbox
        .events()
        .filter((event) => (event.data as { object: { id: string } }).object.id === opened.id)
        .map((event) => event.id),
    );
    const disputeEvents = sandbox
      .webhookAttempts()
      .filter((attempt) => eventIds.has(attempt.eventId) && attempt.status === 200).length;
    const fetches = sandbox
      .requestLog()
      .filter((entry) => entry.method === 'GET' && entry.path === `/v1/disputes/${opened.id}`).length;
    assert.equal(disputeEvents, 1);
    assert.equal(fetches, disputeEvents);
  });
});
