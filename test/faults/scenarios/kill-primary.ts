import assert from 'node:assert/strict';
import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import { checkOutbox } from '../support/outbox-check.js';
import { waitUntil } from '../support/processes.js';
import { printFigures, type Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { assertOutbox, outboxFigures, settle, sleep } from './settle.js';

/**
 * kill -9 the zone holding the primary (its keeper and PostgreSQL) a third into the load. No relay
 * is restarted: they find the promoted standby through the multi-host URL. Failover seconds: from
 * the kill to the first answered payment that was sent after it.
 */
export async function killPrimary(
  world: FaultWorld,
  sizes: { rate: number; primaryKillMs: number },
): Promise<Figures> {
  const shop = await world.openShop('Primary kill');
  const primary = await world.cluster.primaryZone();
  if (!primary) throw new Error('no primary before the fault');
  const standby = primary === 'zone_a' ? 'zone_b' : 'zone_a';
  // The standby is synchronous: a payment confirmed before the kill is on it.
  // (After the split the old primary has just rejoined: the primary turns it on once it is caught up.)
  const synchronousPattern = /^ANY 1 \(pgautofailover_standby_\d+\)$/;
  await waitUntil('a synchronous standby', async () =>
    synchronousPattern.test(await world.cluster.synchronousStandbyNames(primary)),
  );
  const synchronous = await world.cluster.synchronousStandbyNames(primary);
  assert.match(synchronous, synchronousPattern);
  const restarts = () => world.relays.a.restarts + world.relays.b.restarts;
  const restartsBefore = restarts();
  let killedAt = 0;
  let writableAfterMs = NaN;
  const outcomes = await runOpenLoop({
    rate: sizes.rate,
    durationMs: sizes.primaryKillMs,
    pay: (index) => payAsTheSdkDoes(shop.payer, { index }),
    during: async () => {
      await sleep(sizes.primaryKillMs / 3);
      killedAt = Date.now();
      await world.cluster.killZone(primary);
      const deadline = Date.now() + 120_000;
      while ((await world.cluster.primaryZone()) !== standby) {
        if (Date.now() > deadline) throw new Error(`${standby} not promoted within 120 s`);
        await sleep(100);
      }
      writableAfterMs = Date.now() - killedAt;
    },
  });
  const resumedAt = Math.min(
    ...outcomes
      .filter((outcome) => outcome.succeededTry && outcome.succeededTry.sentAt >= killedAt)
      .map((outcome) => outcome.succeededTry?.answeredAt ?? Infinity),
  );
  const figures = await settle(world, shop, 'primary killed', outcomes, {
    'standby writable after s': (writableAfterMs / 1000).toFixed(1),
    'relays restarted': restarts() - restartsBefore,
    'synchronous standby': synchronous,
  });
  // A delivery could be in flight up to a few seconds before the kill, and until the relays write
  // again: between the standby's promotion and the first payment through it, a worker's pool can
  // still hand it a connection to the dead primary, so a job it delivered then cannot be marked done.
  const outbox = await checkOutbox(world.owner.knex, shop.tenantId, world.dealWrites, {
    from: killedAt - 10_000,
    to: Math.max(killedAt + writableAfterMs, resumedAt),
  });
  assert.equal(restarts(), restartsBefore, 'no relay was restarted');
  const result = {
    ...figures,
    failoverSeconds: (resumedAt - killedAt) / 1000,
    extra: { ...figures.extra, ...outboxFigures(outbox) },
  };
  // Printed before the outbox check, so a run that fails it still shows what happened.
  printFigures(result);
  assertOutbox(outbox);
  return result;
}
