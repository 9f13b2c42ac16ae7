import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../relay/src/config.js';
import { openPostgres, type Database } from '../../relay/src/db/open-database.js';
import { createLogger } from '../../relay/src/logger.js';
import { startRelay, type RunningRelay } from '../../relay/src/server.js';
import { allSynced, hubspotEnv, HubSpotWorld } from './support.js';

/** A relay with its HubSpot worker on, on a database another relay uses too; counts what it synced. */
async function startWorkerRelay(world: HubSpotWorld, database: Database) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig({
    PORT: '0',
    STRIPE_API_BASE: world.stripe.url,
    STRIPE_TEST_SECRET_KEY: world.stripe.keys.secretTest,
    STRIPE_TEST_PUBLISHABLE_KEY: world.stripe.keys.publishableTest,
    SHUTDOWN_GRACE_MS: '500',
    ...hubspotEnv(world.hubspot, {
      HUBSPOT_WORKER_ENABLED: 'true',
      HUBSPOT_WORKER_POLL_MS: '20',
      HUBSPOT_WORKER_CLAIM_LIMIT: '100',
    }),
  });
  const relay = await startRelay({
    config,
    logger: createLogger({ level: 'info', destination }),
    database,
    migrate: false,
  });
  const synced = () =>
    lines
      .map((line) => JSON.parse(line) as { msg?: string; synced?: number })
      .filter((line) => line.msg === 'hubspot sync round')
      .reduce((sum, line) => sum + (line.synced ?? 0), 0);
  return { relay, synced };
}

describe('HubSpot push: two relay instances draining one outbox', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  const started: RunningRelay[] = [];
  let extraPool: Database | undefined;
  before(async () => (world = await HubSpotWorld.start()));
  after(async () => {
    for (const relay of started) await relay.close();
    await extraPool?.close();
    await world?.close();
  });

  it('does each job once, with both workers taking part', async () => {
    const seeded = await world.seedConnectedTenant();
    const ids = [
      await world.payThroughRoute(seeded, 'route1@example.com'),
      await world.payThroughRoute(seeded, 'route2@example.com'),
    ];
    for (let batch = 0; batch < 6; batch++) {
      ids.push(
        ...(await world.payDirectlyMany(
          seeded,
          Array.from({ length: 50 }, (_, i) => `p${batch}-${i}@example.com`),
        )),
      );
    }
    // On PostgreSQL each relay has its own pool as the app role; on PGlite both share the one Database.
    const shared = world.relay.database.app ?? world.relay.database;
    const second =
      shared.kind === 'postgres' && shared.connectionString
        ? (extraPool = openPostgres(shared.connectionString, { min: 0, max: 5 }, { bindModels: false }))
        : shared;
    const one = await startWorkerRelay(world, shared);
    const two = await startWorkerRelay(world, second);
    started.push(one.relay, two.relay);

    const deadline = Date.now() + 30_000;
    while (!(await allSynced(world.knex, seeded.tenant.id, ids.length)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(await allSynced(world.knex, seeded.tenant.id, ids.length), 'all synced within 30 s');
    const deals = world.hubspot.deals(seeded.portalId);
    assert.equal(deals.length, ids.length);
    assert.deepEqual(
      new Set(deals.map((deal) => deal.properties['onepagepay_transaction_id'])),
      new Set(ids),
    );
    const pushes = await world
      .knex('transactions')
      .where({ tenant_id: seeded.tenant.id })
      .select('hubspot_sync_attempts');
    assert.ok(
      pushes.every((row) => row.hubspot_sync_attempts === 1),
      'every transaction was pushed exactly once',
    );
    const jobs = await world
      .knex('outbox')
      .where({ tenant_id: seeded.tenant.id, topic: 'hubspot.transaction' });
    assert.ok(jobs.every((job) => job.status === 'done' && job.attempts === 0));
    assert.equal(one.synced() + two.synced(), ids.length, `split ${one.synced()} + ${two.synced()}`);
    assert.ok(
      one.synced() > 0 && two.synced() > 0,
      `both workers took part: ${one.synced()} + ${two.synced()}`,
    );
  });
});
