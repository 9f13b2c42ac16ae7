import assert from 'node:assert/strict';
import { createHubSpotClientFactory } from '../../relay/src/hubspot/client-factory.js';
import { nextPortalMidnight } from '../../relay/src/hubspot/portal-settings.js';
import { replayDeadLetters } from '../../relay/src/hubspot/requeue.js';
import { allSynced, countByState, drain, HubSpotWorld } from './support.js';

describe('HubSpot push: rate limits, crashes and dead letters', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  beforeEach(async () => (world = await HubSpotWorld.start({ HUBSPOT_MAX_ATTEMPTS: '3' })));
  afterEach(() => world?.close());

  it('pauses only the tenant that hit its DAILY limit while another keeps syncing', async () => {
    // The DAILY limit resets at midnight in the account's time zone (HubSpot sends no Retry-After).
    const limited = await world.seedConnectedTenant('Limited Ltd', { portal: { timeZone: 'Asia/Tokyo' } });
    const healthy = await world.seedConnectedTenant('Healthy Inc');
    world.hubspot.exhaustDailyLimit(limited.portalId);
    await world.payDirectlyMany(limited, ['a@example.com', 'b@example.com']);
    await world.payDirectlyMany(healthy, ['c@example.com', 'd@example.com', 'e@example.com']);
    const worker = world.worker();
    await drain(worker, world.clock, {
      until: () => allSynced(world.knex, healthy.tenant.id, 3),
      stepMs: 1000,
    });
    assert.equal(world.hubspot.deals(healthy.portalId).length, 3);
    assert.equal(world.hubspot.deals(limited.portalId).length, 0);

    const connection = await world
      .knex('hubspot_connections')
      .where({ tenant_id: limited.tenant.id })
      .first();
    const midnight = nextPortalMidnight(world.clock.now(), 'Asia/Tokyo');
    assert.equal(new Date(midnight).getUTCHours(), 15, 'midnight in Tokyo is 15:00 UTC');
    assert.ok(
      Math.abs(new Date(connection.paused_until).getTime() - midnight) < 5_000,
      'paused until the reset',
    );
    const waiting = await world.knex('transactions').where({ tenant_id: limited.tenant.id });
    assert.ok(
      waiting.every(
        (row) => row.hubspot_sync_state === 'pending' && /daily limit/.test(row.hubspot_last_error),
      ),
    );
    const jobs = await world.knex('outbox').where({ tenant_id: limited.tenant.id });
    assert.ok(
      jobs.every((job) => job.status === 'pending' && job.attempts === 0),
      'a DAILY 429 is not a failed attempt',
    );
    const requests = world.hubspot.stats().requests;
    assert.equal((await worker.runOnce()).claimed, 0, 'the paused tenant is not claimed');
    assert.equal(world.hubspot.stats().requests, requests, 'and HubSpot is not called for it');

    world.clock.advance(midnight - world.clock.now() + 1000);
    await drain(worker, world.clock, { until: () => allSynced(world.knex, limited.tenant.id, 2) });
    assert.equal(world.hubspot.deals(limited.portalId).length, 2);
  });

  it('waits out a TEN_SECONDLY_ROLLING 429, then keeps under the limit the headers give', async () => {
    const seeded = await world.seedConnectedTenant();
    const worker = world.worker();
    await world.payDirectly(seeded, 'first@example.com');
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 1) });
    // HubSpot lowers the limit: the worker still believes 100 per 10 s until a 429 tells it otherwise.
    // A minute-long window: the simulated clock also moves with real time, and on a loaded machine
    // 15 requests once spread over more than 10 s, so a 10-second window never filled.
    const windowMs = 60_000;
    world.hubspot.setRateLimit({ maxPerWindow: 6, windowMs });
    await world.payDirectlyMany(
      seeded,
      Array.from({ length: 250 }, (_, index) => `r${index}@example.com`),
    );
    world.clock.advance(1000);
    world.hubspot.resetStats();
    const startedAt = world.clock.now();
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 251) });
    const stats = world.hubspot.stats();
    assert.equal(world.hubspot.deals(seeded.portalId).length, 251);
    assert.ok(
      stats.rateLimited >= 1 && stats.rateLimited <= 2,
      `429s: ${stats.rateLimited} of ${stats.requests}`,
    );
    assert.ok(world.clock.now() - startedAt >= 2 * windowMs, 'the 15 requests took at least two windows');
    const attempts = await world
      .knex('transactions')
      .where({ tenant_id: seeded.tenant.id })
      .max('hubspot_sync_attempts as max');
    assert.equal(attempts[0]?.max, 1, 'waiting for the window is not a failed attempt');
  });

  it('pushes again after a worker dies mid-batch, without a second deal', async () => {
    const seeded = await world.seedConnectedTenant();
    const ids = await world.payDirectlyMany(
      seeded,
      Array.from({ length: 120 }, (_, index) => `c${index}@example.com`),
    );
    world.clock.advance(1000);
    const real = createHubSpotClientFactory(new URL(world.hubspot.url));
    // The first worker freezes for good after HubSpot created the deals, before it records anything:
    // a process killed mid-batch, holding its lease.
    const dying = world.worker({
      clientFactory: (options) => {
        const client = real(options);
        client.crm.lineItems.batchApi.upsert = () => new Promise(() => {});
        return client;
      },
    });
    void dying.runOnce();
    const deadline = Date.now() + 10_000;
    while (world.hubspot.deals(seeded.portalId).length < 120 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(world.hubspot.deals(seeded.portalId).length, 120);

    const restarted = world.worker();
    assert.equal((await restarted.runOnce()).claimed, 0, 'the lease still holds');
    world.clock.advance(Number(world.relay.config.hubspot.worker.leaseMs) + 1000);
    await drain(restarted, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 120) });
    const deals = world.hubspot.deals(seeded.portalId);
    assert.equal(deals.length, 120, 'the restart upserted the same deals');
    assert.deepEqual(
      new Set(deals.map((deal) => deal.properties['onepagepay_transaction_id'])),
      new Set(ids),
    );
    assert.equal(world.hubspot.lineItems(seeded.portalId).length, 120);
  });

  it('retries a call that timed out, and the late answer HubSpot still acted on makes no duplicate', async () => {
    await world.close();
    // The timeout leaves ordinary calls (seeding, first connections on a busy CI machine) ample room;
    // only the calls made slow below exceed it.
    world = await HubSpotWorld.start({ HUBSPOT_TIMEOUT_MS: '1500' });
    const seeded = await world.seedConnectedTenant();
    const ids = await world.payDirectlyMany(seeded, ['slow1@example.com', 'slow2@example.com']);
    world.clock.advance(1000);
    const worker = world.worker();
    world.hubspot.setOutage('slow', { slowMs: 2500 });
    await worker.runOnce();
    const waiting = await world.knex('transactions').whereIn('id', ids);
    assert.ok(waiting.every((row) => row.hubspot_sync_state === 'retrying'));
    assert.match(waiting[0]?.hubspot_last_error, /did not answer within 1500 ms/);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // HubSpot finishes the late call anyway
    world.hubspot.setOutage('none');
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 2) });
    assert.equal(world.hubspot.contacts(seeded.portalId).length, 2);
    assert.equal(world.hubspot.deals(seeded.portalId).length, 2);
  });

  it('dead-letters after the configured attempts, keeps the job, and delivers it after replay', async () => {
    const seeded = await world.seedConnectedTenant();
    const [id] = await world.payDirectlyMany(seeded, ['dead@example.com']);
    world.hubspot.setOutage('down', { status: 500 });
    const worker = world.worker();
    for (let round = 0; round < 6; round++) {
      await worker.runOnce();
      world.clock.advance(2 * 60 * 60_000);
    }
    const job = await world
      .knex('outbox')
      .where({ transaction_id: id, topic: 'hubspot.transaction' })
      .first();
    assert.equal(job.status, 'dead');
    assert.equal(job.attempts, 3);
    assert.match(job.last_error, /HubSpot answered 500/);
    const row = await world.knex('transactions').where({ id }).first();
    assert.equal(row.hubspot_sync_state, 'failed');
    assert.equal(row.hubspot_sync_attempts, 3);
    assert.equal((await worker.runOnce()).claimed, 0, 'dead letters are not retried on their own');

    world.hubspot.setOutage('none');
    const progress: Array<[number, number]> = [];
    const replayed = await replayDeadLetters(world.knex, { tenantId: seeded.tenant.id }, (done, total) =>
      progress.push([done, total]),
    );
    assert.equal(replayed, 1);
    assert.deepEqual(progress, [
      [0, 1],
      [1, 1],
    ]);
    assert.equal((await countByState(world.knex, seeded.tenant.id))['pending'], 1);
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 1) });
    assert.equal(world.hubspot.deals(seeded.portalId).length, 1);
  });
});
