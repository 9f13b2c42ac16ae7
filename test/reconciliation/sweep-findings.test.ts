import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { createLogger } from '../../relay/src/logger.js';
import { PAYMENT_PROVIDERS } from '../../relay/src/payments/providers/index.js';
import type { SweepDeps } from '../../relay/src/reconciliation/findings.js';
import { runReconciliationSweep, sweepWindow } from '../../relay/src/reconciliation/run-sweep.js';
import { createCardPaymentMethod, postJson } from '../../relay/src/testing/payment-fixtures.js';
import { paypalOrderRequest } from '../../relay/src/testing/paypal-fixtures.js';
import type { Seeded } from '../hubspot/support.js';
import { SweepWorld } from './support.js';

/** Each disagreement the sweep knows, one run at a time (the relay's own schedule is off here). */
describe('reconciliation sweep findings (relay + Stripe and PayPal sandboxes + real database)', function () {
  this.timeout(120_000);
  let world: SweepWorld;
  let seeded: Seeded;
  let deps: SweepDeps;

  before(async () => {
    world = await SweepWorld.startWith();
    seeded = await world.seedConnectedTenant();
    await world
      .knex('forms')
      .where({ id: seeded.form.id })
      .update({ providers: ['stripe', 'paypal'] });
    deps = {
      knex: world.relay.database.app?.knex ?? world.knex,
      stripe: world.relay.stripe,
      paypal: world.relay.paypal,
      logger: createLogger({ level: 'silent' }),
    };
  });
  after(() => world?.close());

  const sweep = (dryRun = false, graceMs = 0) =>
    runReconciliationSweep(PAYMENT_PROVIDERS, deps, {
      ...sweepWindow(Date.now() + 1_000, 3_600_000, graceMs),
      dryRun,
    });
  const outboxOf = (transactionId: string) =>
    world.knex('outbox').where({ transaction_id: transactionId }).select('dedupe_key');

  it('reports in a dry run, fixes once, and then finds everything in agreement', async () => {
    const { transactionId } = await world.payAndCrash(seeded);
    assert.ok(transactionId);
    const left = await sweep(false, 3_600_000);
    assert.equal(left.findings.length, 0, 'a payment younger than the grace period is left to its request');

    const dry = await sweep(true);
    const found = dry.findings.filter((finding) => finding.transactionId === transactionId);
    assert.deepEqual(
      found.map(({ kind, outcome, ourStatus, providerStatus }) => ({
        kind,
        outcome,
        ourStatus,
        providerStatus,
      })),
      [{ kind: 'status_mismatch', outcome: 'found', ourStatus: 'processing', providerStatus: 'succeeded' }],
    );
    assert.equal((await world.transaction(transactionId)).status, 'processing', 'a dry run changes nothing');

    // Relays sweeping at once apply the fix once between them. On a loaded CI machine's PostgreSQL
    // one sweep once read the transaction just as another bound it, between its two lookups.
    const reports = await Promise.all([sweep(), sweep(), sweep(), sweep()]);
    const outcomes = reports
      .flatMap((report) => report.findings)
      .filter((finding) => finding.transactionId === transactionId)
      .map((finding) => finding.outcome)
      .sort();
    assert.ok(outcomes.includes('fixed'), `outcomes: ${outcomes.join(', ')}`);
    assert.ok(
      outcomes.every((outcome) => outcome === 'fixed' || outcome === 'duplicate'),
      `outcomes: ${outcomes.join(', ')}; errors: ${JSON.stringify(reports.flatMap((report) => report.errors))}`,
    );
    assert.equal((await world.transaction(transactionId)).status, 'succeeded');
    assert.equal((await outboxOf(transactionId)).length, 1, 'one HubSpot job');
    const again = await sweep();
    assert.deepEqual(again.findings, []);
    assert.deepEqual(again.errors, []);
    assert.ok((again.checked.stripe ?? 0) >= 1);
  });

  it('records a decline whose answer was lost as failed', async () => {
    const { transactionId } = await world.payAndCrash(seeded, '4000000000000002');
    assert.ok(transactionId);
    assert.equal((await world.transaction(transactionId)).status, 'processing');
    const report = await sweep();
    const finding = report.findings.find((candidate) => candidate.transactionId === transactionId);
    assert.equal(finding?.kind, 'status_mismatch');
    assert.equal(finding?.outcome, 'fixed');
    const row = await world.transaction(transactionId);
    assert.equal(row.status, 'failed');
    assert.equal(row.decline_code, 'generic_decline');
    assert.equal((await outboxOf(transactionId)).length, 0, 'HubSpot hears only of paid payments');
  });

  it('rebuilds a paid transaction whose record is gone (say, a restore from an older backup)', async () => {
    const { answer, transactionId } = await world.payCard(
      seeded,
      '4242424242424242',
      'Mary.Shelley@example.com',
    );
    assert.equal(answer.status, 200);
    assert.ok(transactionId);
    const before = await world.transaction(transactionId);
    await world.knex('outbox').where({ transaction_id: transactionId }).delete();
    await world.knex('transactions').where({ id: transactionId }).delete();
    const report = await sweep();
    const finding = report.findings.find((candidate) => candidate.transactionId === transactionId);
    assert.equal(finding?.kind, 'missing_transaction');
    assert.equal(finding?.outcome, 'fixed');
    const rebuilt = await world.transaction(transactionId);
    assert.equal(rebuilt.status, 'succeeded');
    assert.equal(rebuilt.amount, before.amount);
    assert.equal(rebuilt.provider_payment_id, before.provider_payment_id);
    assert.equal(rebuilt.attempt_id, before.attempt_id);
    const contact = await world.knex('contacts').where({ id: rebuilt.contact_id }).first();
    assert.equal(contact.email, 'mary.shelley@example.com');
    assert.equal((await outboxOf(transactionId)).length, 1);
  });

  it('leaves alone a PaymentIntent whose metadata claims a transaction paid by another one', async () => {
    const { transactionId } = await world.payCard(seeded, '4242424242424242');
    assert.ok(transactionId);
    const stripe = new Stripe(world.stripe.keys.secretTest, {
      host: '127.0.0.1',
      port: world.stripe.port,
      protocol: 'http',
      telemetry: false,
    });
    const card = await createCardPaymentMethod(
      world.stripe.url,
      world.stripe.keys.publishableTest,
      '4242424242424242',
    );
    const impostor = await stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: card,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: {
        onepagepay_tenant_id: seeded.tenant.id,
        onepagepay_form_id: seeded.form.id,
        onepagepay_transaction_id: transactionId,
      },
    });
    const report = await sweep();
    const finding = report.findings.find((candidate) => candidate.providerId === impostor.id);
    assert.equal(finding?.kind, 'metadata_mismatch');
    assert.equal(finding?.outcome, 'left_alone');
    const row = await world.transaction(transactionId);
    assert.notEqual(row.provider_payment_id, impostor.id, 'the recorded payment keeps its own intent');
    assert.equal(row.amount, 4900);
  });

  it('records a PayPal capture the relay never recorded, and never captures an approved order itself', async () => {
    const account = world.relay.paypal.accountFor(false);
    const createOrder = async () => {
      const request = paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid);
      const created = await postJson(`${world.relay.url}/v1/paypal/orders`, request);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      return { orderId: created.body.orderId as string, transactionId: created.body.transactionId as string };
    };
    const captured = await createOrder();
    world.paypal.approveOrder(captured.orderId, { email: 'Ada@Example.com', givenName: 'Ada', surname: 'L' });
    // PayPal captured; the relay died before its commit and the webhook was lost.
    await account.orders.captureOrder({ id: captured.orderId, paypalRequestId: crypto.randomUUID() });
    const approved = await createOrder();
    world.paypal.approveOrder(approved.orderId);

    const report = await sweep();
    const byOrder = (orderId: string) => report.findings.find((finding) => finding.providerId === orderId);
    assert.equal(byOrder(captured.orderId)?.outcome, 'fixed');
    assert.equal(byOrder(approved.orderId)?.kind, 'approved_not_captured');
    assert.equal(byOrder(approved.orderId)?.outcome, 'left_alone');
    const row = await world.transaction(captured.transactionId);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.provider_payment_id, world.paypal.captures().find((c) => c.status === 'COMPLETED')?.id);
    const contact = await world.knex('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.email, 'ada@example.com');
    assert.equal((await outboxOf(captured.transactionId)).length, 1);
    const stillApproved = world.paypal.orders().find((order) => order.id === approved.orderId);
    assert.equal(stillApproved?.status, 'APPROVED', 'the sweep moved no money');
    assert.equal((await world.transaction(approved.transactionId)).status, 'processing');
    assert.ok((report.checked.paypal ?? 0) >= 2);
  });
});
