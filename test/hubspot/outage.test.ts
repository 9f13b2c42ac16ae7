import assert from 'node:assert/strict';
import { allSynced, countByState, drain, HubSpotWorld } from './support.js';

describe('HubSpot push: HubSpot down for a simulated hour while 1,000 payments are made', function () {
  // 1,000 payments and their pushes took over 120 s on a machine at load average 10 (CI, 2026-12-07).
  this.timeout(300_000);
  let world: HubSpotWorld;
  before(async () => (world = await HubSpotWorld.start()));
  after(() => world?.close());

  it('takes every payment, then delivers every one exactly once after recovery', async () => {
    const seeded = await world.seedConnectedTenant();
    const worker = world.worker();
    world.hubspot.setOutage('down', { status: 503 });

    // 20 payments go through POST /v1/payments and Stripe; the other 980 through the same store calls
    // that route makes (claimAttempt, upsertContact, applyStatusChange, which queues the push), 49 to a
    // database transaction, to keep the suite fast.
    // Every fifth payer pays twice, so contacts are upserted, not duplicated.
    const emailOf = (index: number) => `payer${index % 800}@example.com`;
    const ids: string[] = [];
    const startedAt = world.clock.now();
    for (let index = 0; index < 20; index++) ids.push(await world.payThroughRoute(seeded, emailOf(index)));
    for (let index = 20; index < 1000; index += 49) {
      const emails = Array.from({ length: Math.min(49, 1000 - index) }, (_, offset) =>
        emailOf(index + offset),
      );
      ids.push(...(await world.payDirectlyMany(seeded, emails)));
      // The worker keeps trying while payments come in, and time passes: an hour over the run.
      await worker.runOnce();
      world.clock.advance(3 * 60_000);
    }
    while (world.clock.now() - startedAt < 60 * 60_000) {
      await worker.runOnce();
      world.clock.advance(5 * 60_000);
    }
    assert.equal(world.hubspot.deals(seeded.portalId).length, 0);
    const during = await countByState(world.knex, seeded.tenant.id);
    assert.equal(during['synced'] ?? 0, 0);
    assert.equal((during['pending'] ?? 0) + (during['retrying'] ?? 0), 1000);
    assert.ok((during['retrying'] ?? 0) > 0, 'failed attempts show as retrying');
    const dead = await world.knex('outbox').where({ status: 'dead' }).count('* as count');
    assert.equal(Number(dead[0]?.count), 0, 'an hour-long outage dead-letters nothing');

    world.hubspot.setOutage('none');
    // Past the longest backoff, so the drain is a few full rounds.
    world.clock.advance(2 * 60 * 60_000);
    await drain(worker, world.clock, {
      until: () => allSynced(world.knex, seeded.tenant.id, 1000),
      stepMs: 5 * 60_000,
    });

    const deals = world.hubspot.deals(seeded.portalId);
    assert.equal(deals.length, 1000);
    assert.deepEqual(
      new Set(deals.map((deal) => deal.properties['onepagepay_transaction_id'])),
      new Set(ids),
      'one deal per payment, none missing, none doubled',
    );
    assert.equal(world.hubspot.lineItems(seeded.portalId).length, 1000);
    assert.equal(world.hubspot.contacts(seeded.portalId).length, 800);
    const links = world.hubspot.associations(seeded.portalId);
    assert.equal(links.filter((link) => link.toType === 'contacts').length, 1000);
    assert.equal(links.filter((link) => link.toType === 'line_items').length, 1000);
    const deal = deals.find((candidate) => candidate.properties['onepagepay_transaction_id'] === ids[0]);
    assert.equal(deal?.properties['dealname'], 'Workshop ticket – $49.00');
    assert.equal(deal?.properties['amount'], '49.00');
    assert.equal(deal?.properties['dealstage'], 'closedwon');
    assert.equal(deal?.properties['pipeline'], 'default');
    const row = await world.knex('transactions').where({ id: ids[0] }).first();
    assert.equal(row.hubspot_deal_id, deal?.id);
    assert.ok(row.hubspot_sync_attempts > 1, 'the attempts during the outage are counted');
    assert.equal(row.hubspot_last_error, null);
  });
});
