import assert from 'node:assert/strict';
import { payAsTheSdkDoes, type PaymentOutcome } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle } from './settle.js';

/**
 * `trials` times: a payment sent straight to one of three trial relays (the same program and
 * settings as the zones' relays, outside HAProxy so the trial knows which one it reached), whose
 * Stripe gate lets the charge succeed
 * at Stripe and then kills the relay (kill -9) before it hears the answer, so before it commits the
 * outcome. The payer retries through HAProxy with the same attempt id; the Stripe webhook (sent to
 * HAProxy) or the retry (which takes over the attempt once its claim lapses, with the same
 * idempotency key) records the charge. The killed relay is started again while the other trial
 * relays take the next trials.
 */
export async function killBetweenChargeAndCommit(
  world: FaultWorld,
  sizes: { trials: number },
): Promise<Figures> {
  const shop = await world.openShop('Kill between charge and commit');
  const pool = await Promise.all(
    world.ports.trialRelays.map((port, index) => world.addRelay(`trial_relay_${index}`, port)),
  );
  await Promise.all(pool.map(({ relay }) => relay.start()));
  const restarting = new Map<number, Promise<void>>();
  const outcomes: PaymentOutcome[] = [];
  let kills = 0;
  const startedAt = Date.now();
  for (let trial = 0; trial < sizes.trials; trial += 1) {
    const slot = trial % pool.length;
    const { relay, gate } = pool[slot] as (typeof pool)[number];
    await restarting.get(slot);
    gate.arm(async () => {
      kills += 1;
      await relay.kill();
    });
    outcomes.push(await payAsTheSdkDoes(shop.payer, { index: trial, url: relay.url }));
    assert.equal(kills, trial + 1, `trial ${trial}: the relay died after Stripe charged`);
    restarting.set(slot, relay.start());
  }
  await Promise.all(restarting.values());
  await Promise.all(pool.map(({ relay }) => relay.stop()));
  return settle(world, shop, 'relay killed between charge and commit', outcomes, {
    trials: sizes.trials,
    'seconds per trial': ((Date.now() - startedAt) / 1000 / sizes.trials).toFixed(1),
  });
}
