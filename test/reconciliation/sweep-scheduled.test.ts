import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { allSynced, drain } from '../hubspot/support.js';
import { METRICS_TOKEN, SweepWorld } from './support.js';

/**
 * The acceptance case of the sweep: the relay dies (its connection to Stripe is cut) after Stripe
 * charged and before the charge is recorded, and every webhook is lost. The relay's own scheduled
 * sweep finds the PaymentIntent, records the payment, and the HubSpot worker delivers it.
 */
describe('reconciliation sweep on a schedule in the relay (relay + sandboxes + real database)', function () {
  this.timeout(120_000);
  let world: SweepWorld;

  before(async () => {
    world = await SweepWorld.startWith({ RECONCILE_INTERVAL_MS: '150', RECONCILE_GRACE_MS: '0' });
  });
  after(() => world?.close());

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await sleep(50);
    }
  }

  it('never loses a charge: Stripe charged, the relay crashed before recording, the sweep records it and HubSpot gets it', async () => {
    const seeded = await world.seedConnectedTenant();
    const { answer, transactionId } = await world.payAndCrash(
      seeded,
      '4242424242424242',
      'grace@example.com',
    );
    assert.notEqual(answer.status, 200, 'the payer was told the payment did not go through');
    assert.ok(transactionId, 'the attempt was claimed before Stripe was called');
    const charged = world.stripe
      .paymentIntents()
      .filter(
        (intent) => (intent.metadata as Record<string, string>).onepagepay_transaction_id === transactionId,
      );
    const intentsAtStripe = world.stripe.paymentIntents().length;
    assert.equal(charged.length, 1, 'Stripe holds exactly one PaymentIntent for the attempt');
    assert.equal(charged[0]?.status, 'succeeded');

    const row = await waitFor(
      () => world.transaction(transactionId),
      (current) => current?.status === 'succeeded',
    );
    assert.equal(row.status, 'succeeded', 'the scheduled sweep recorded the charge');
    assert.equal(row.provider_payment_id, charged[0]?.id);
    const pushes = () =>
      world
        .knex('outbox')
        .where({ transaction_id: transactionId })
        .whereLike('dedupe_key', 'hubspot.transaction:%');
    const jobs = await pushes();
    assert.equal(jobs.length, 1, 'one HubSpot job, however many sweeps ran');

    await drain(world.worker(), world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 1) });
    const deals = world.hubspot.deals(seeded.portalId);
    assert.equal(deals.length, 1, 'the recovered payment reached HubSpot as one deal');
    assert.equal(deals[0]?.properties['amount'], '49.00');

    // Later sweeps find everything in agreement and change nothing.
    await sleep(600);
    assert.equal((await pushes()).length, 1);
    assert.equal(world.stripe.paymentIntents().length, intentsAtStripe, 'the sweep never charged');

    const metrics = await fetch(`${world.relay.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    }).then((response) => response.text());
    assert.match(
      metrics,
      /onepagepay_reconciliation_findings_total\{provider="stripe",kind="status_mismatch",outcome="fixed"\} 1\n/,
    );
    assert.match(metrics, /onepagepay_reconciliation_runs_total\{result="ok"\} [1-9]/);
    const logged = world.relay.logLines.filter((line) =>
      line.includes('reconciliation: status_mismatch (fixed)'),
    );
    assert.equal(logged.length, 1, 'the fix was logged once');
    assert.doesNotMatch(logged[0] ?? '', /grace@example\.com/, 'no payer email in the log');
  });
});
