import assert from 'node:assert/strict';
import pg from 'pg';
import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import { printFigures, type Figures } from '../support/ledger.js';
import { checkOutbox } from '../support/outbox-check.js';
import { waitUntil } from '../support/processes.js';
import type { FaultWorld } from '../support/world.js';
import { assertOutbox, outboxFigures, settle, sleep } from './settle.js';

/**
 * A network partition under load: the primary's zone is cut off from the monitor and the standby
 * (support/zone-link.ts: packets stop, nothing is closed), while its PostgreSQL keeps running and
 * both relays can still reach it: the worst case, where only synchronous replication stands
 * between the relays and a split brain. The monitor promotes the standby; the old primary cannot
 * commit anything any more (no standby acknowledges), until its keeper notices it is alone and
 * demotes it; the relays end up on the new primary with no restart. Then the network heals and the
 * old primary rejoins as the standby (pg_rewind throws away what it never could commit).
 */
export async function splitZone(
  world: FaultWorld,
  sizes: { rate: number; splitMs: number },
): Promise<Figures> {
  const shop = await world.openShop('Network split');
  const { cluster } = world;
  const primary = await cluster.primaryZone();
  if (!primary) throw new Error('no primary before the fault');
  const standby = primary === 'zone_a' ? 'zone_b' : 'zone_a';
  await waitUntil(
    `${standby} a healthy standby before the split`,
    async () => (await cluster.nodeStates())[standby] === 'secondary',
    120_000,
  );
  await world.owner.knex.raw('create table if not exists split_probe (id serial primary key)');
  const restarts = () => world.relays.a.restarts + world.relays.b.restarts;
  const restartsBefore = restarts();
  let severedAt = 0;
  let promotedAfterMs = NaN;
  let oldPrimaryWritableMs = NaN;
  let probe: Promise<string> | undefined;
  let outcomes;
  try {
    outcomes = await runOpenLoop({
      rate: sizes.rate,
      durationMs: sizes.splitMs,
      pay: (index) => payAsTheSdkDoes(shop.payer, { index }),
      during: async () => {
        await sleep(sizes.splitMs / 4);
        severedAt = Date.now();
        cluster.severZone(primary);
        // A write made straight on the old primary once it is cut off: it must never commit.
        probe = writeOnce(cluster.nodeUrl(primary));
        const deadline = Date.now() + 120_000;
        while ((await cluster.writable(standby)) !== true) {
          if (Date.now() > deadline) throw new Error(`${standby} not promoted within 120 s of the split`);
          await sleep(100);
        }
        promotedAfterMs = Date.now() - severedAt;
        while ((await cluster.writable(primary)) === true) await sleep(100);
        oldPrimaryWritableMs = Date.now() - severedAt;
      },
    });
  } finally {
    cluster.healZone(primary);
  }
  const resumedAt = Math.min(
    ...outcomes
      .filter((outcome) => outcome.succeededTry && outcome.succeededTry.sentAt >= severedAt)
      .map((outcome) => outcome.succeededTry?.answeredAt ?? Infinity),
  );
  const probed = await probe;
  const healedAt = Date.now();
  await waitUntil(
    `${primary} back as the standby`,
    async () => (await cluster.nodeStates())[primary] === 'secondary',
    240_000,
  );
  const rejoinedS = ((Date.now() - healedAt) / 1000).toFixed(1);
  const figures = await settle(world, shop, 'network split', outcomes, {
    'standby writable after s': (promotedAfterMs / 1000).toFixed(1),
    'old primary accepted connections (read-write) for s': (oldPrimaryWritableMs / 1000).toFixed(1),
    'write on the cut-off primary': probed ?? 'not made',
    'rejoined as standby after healing, s': rejoinedS,
  });
  const outbox = await checkOutbox(world.owner.knex, shop.tenantId, world.dealWrites, {
    from: severedAt - 10_000,
    to: severedAt + oldPrimaryWritableMs,
  });
  const probeRows = await world.owner.knex('split_probe').count('* as count');
  assert.equal(await cluster.primaryZone(), standby, 'the standby is the primary');
  assert.doesNotMatch(probed ?? '', /^committed/, 'the cut-off primary committed nothing');
  assert.equal(Number(probeRows[0]?.count), 0, 'the write on the cut-off primary is not on the new one');
  assert.equal(restarts(), restartsBefore, 'no relay was restarted');
  const result = {
    ...figures,
    failoverSeconds: (resumedAt - severedAt) / 1000,
    extra: { ...figures.extra, ...outboxFigures(outbox) },
  };
  // Printed before the outbox check, so a run that fails it still shows what happened.
  printFigures(result);
  assertOutbox(outbox);
  return result;
}

/** One insert on the node; `committed` if the node says so, otherwise what it answered instead. */
async function writeOnce(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  const started = Date.now();
  const took = () => `after ${((Date.now() - started) / 1000).toFixed(1)} s`;
  try {
    await client.connect();
    await client.query('insert into split_probe default values');
    return `committed ${took()}`;
  } catch (error) {
    return `refused ${took()}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}
