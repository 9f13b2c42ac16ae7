import assert from 'node:assert/strict';
import type { Client } from '@hubspot/api-client';
import { claimDueJobs } from '../../relay/src/hubspot/claim-jobs.js';
import { createHubSpotClientFactory } from '../../relay/src/hubspot/client-factory.js';
import { JobLease } from '../../relay/src/hubspot/job-lease.js';
import type { HubSpotClientFactory } from '../../relay/src/hubspot/client-factory.js';
import { allSynced, drain, HubSpotWorld } from './support.js';

/**
 * A claim holds its jobs only until its lease ends; after that another relay may claim them. These
 * tests run two workers on one outbox and count, per worker, the deal writes HubSpot received.
 */
describe('HubSpot push: the lease bounds every delivery', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  beforeEach(async () => (world = await HubSpotWorld.start()));
  afterEach(() => world?.close());

  const leaseMs = () => Number(world.relay.config.hubspot.worker.leaseMs);

  /** A client factory that counts deal writes and runs `beforeCall` before each CRM call it makes. */
  function tapped(beforeCall: (call: number) => Promise<void> | void = () => {}) {
    const real = createHubSpotClientFactory(new URL(world.hubspot.url));
    const tap = { dealWrites: 0, calls: 0 };
    const factory: HubSpotClientFactory = (options) => {
      const client: Client = real(options);
      const wrap = <T extends object>(api: T, name: keyof T & string, isDealWrite: boolean) => {
        const original = (api[name] as (...args: unknown[]) => Promise<unknown>).bind(api);
        (api as Record<string, unknown>)[name] = async (...args: unknown[]) => {
          await beforeCall(++tap.calls);
          if (isDealWrite) tap.dealWrites++;
          return original(...args);
        };
      };
      wrap(client.crm.contacts.batchApi, 'upsert', false);
      wrap(client.crm.deals.batchApi, 'upsert', true);
      wrap(client.crm.lineItems.batchApi, 'upsert', false);
      return client;
    };
    return { factory, tap };
  }

  it('stops calling HubSpot once its lease has run out, and the relay that claimed the jobs delivers them once', async () => {
    const seeded = await world.seedConnectedTenant();
    await world.payDirectlyMany(seeded, ['a@example.com', 'b@example.com', 'c@example.com']);
    world.clock.advance(1000);
    const other = tapped();
    const otherWorker = world.worker({ clientFactory: other.factory });
    let claimedByOther = -1;
    // The first worker stalls in its first call (a slow network, a paused process) past its lease;
    // meanwhile the other relay claims the jobs, now free, and delivers them.
    const slow = tapped(async (call) => {
      if (call !== 1) return;
      world.clock.advance(leaseMs() + 1000);
      claimedByOther = (await otherWorker.runOnce()).claimed;
    });
    const lines: string[] = [];
    const result = await world.worker({ clientFactory: slow.factory, logLines: lines }).runOnce();

    assert.equal(result.claimed, 3);
    assert.equal(claimedByOther, 3, 'the jobs were free to claim once the lease ran out');
    assert.equal(other.tap.dealWrites, 1, 'the other relay wrote the three deals in one batch');
    assert.equal(slow.tap.dealWrites, 0, 'the stalled worker made no call after its lease');
    assert.equal(result.synced, 0);
    assert.ok(
      lines.some((line) => line.includes('hubspot lease lost')),
      'the worker says why it stopped',
    );
    assert.ok(await allSynced(world.knex, seeded.tenant.id, 3));
    assert.equal(world.hubspot.deals(seeded.portalId).length, 3);
    const jobs = await world
      .knex('outbox')
      .where({ tenant_id: seeded.tenant.id, topic: 'hubspot.transaction' });
    assert.ok(
      jobs.every((job) => job.status === 'done' && job.attempts === 0),
      'no attempt counted',
    );
  });

  it('renews the lease of a round that outlasts it, so no other relay claims its jobs meanwhile', async () => {
    const seeded = await world.seedConnectedTenant();
    await world.payDirectlyMany(
      seeded,
      Array.from({ length: 6 }, (_, index) => `r${index}@example.com`),
    );
    world.clock.advance(1000);
    const other = world.worker();
    const claimedByOther: number[] = [];
    // Each call takes 40 % of a lease: the round's five calls take two leases in all.
    const slow = tapped(async () => {
      world.clock.advance(leaseMs() * 0.4);
      claimedByOther.push((await other.runOnce()).claimed);
    });
    const result = await world.worker({ clientFactory: slow.factory }).runOnce();

    assert.ok(slow.tap.calls >= 3, `${slow.tap.calls} calls`);
    assert.ok(world.clock.now() > Date.now() + leaseMs(), 'the round outlasted one lease');
    assert.deepEqual(
      claimedByOther.filter((claimed) => claimed > 0),
      [],
      'no job was claimed by the other relay',
    );
    assert.equal(result.synced, 6);
    assert.equal(slow.tap.dealWrites, 1);
    await drain(other, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 6) });
    assert.equal(world.hubspot.deals(seeded.portalId).length, 6);
  });

  it('keeps the lease alive while the worker waits on anything, and lets it lapse once released', async () => {
    const seeded = await world.seedConnectedTenant();
    await world.payDirectlyMany(seeded, ['k1@example.com', 'k2@example.com']);
    // Real time here: the heartbeat is a timer. A 1.5 s lease, renewed every 0.5 s.
    const leaseMs = 1_500;
    const knex = (world.relay.database.app ?? world.relay.database).knex;
    const claim = () => {
      const now = Date.now() + 1000;
      return claimDueJobs(knex, 10, { now: new Date(now), leaseUntil: new Date(now + leaseMs) });
    };
    const clock = { now: () => Date.now() + 1000 };
    const jobs = await claim();
    assert.equal(jobs.length, 2);
    const lease = JobLease.of(
      { knex, clock, leaseMs },
      { tenantId: seeded.tenant.id, livemode: false },
      jobs,
    );
    lease.keepAlive();
    try {
      // A round stuck for three leases in a database wait makes no call, so only the heartbeat renews.
      for (const until = Date.now() + 3 * leaseMs; Date.now() < until;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(await claim(), [], 'no other claimer gets the jobs while the lease is kept');
      }
      await lease.ensure(100);
    } finally {
      lease.release();
    }
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 200));
    assert.equal((await claim()).length, 2, 'released, the lease lapses and the jobs are claimed again');
  });
});
