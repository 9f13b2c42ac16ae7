import assert from 'node:assert/strict';
import { payAsTheSdkDoes, type PaymentOutcome } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle } from './settle.js';

/**
 * `trials` times: a payment sent straight to one relay, whose Stripe gate lets the charge succeed
 * at Stripe and then kills the relay (kill -9) before it hears the answer, so before it commits the
 * outcome. The payer retries through HAProxy with the same attempt id; the Stripe webhook (sent to
 * HAProxy) or the retry (which takes over the attempt once its claim lapses, with the same
 * idempotency key) records the charge. The killed relay is started again while the other zone's
 * relay takes the next trial.
 */
export async function killBetweenChargeAndCommit(
  world: FaultWorld,
  sizes: { trials: number },
): Promise<Figures> {
  const shop = await world.openShop('Kill between charge and commit');
  const restarting: Partial<Record<'a' | 'b', Promise<void>>> = {};
  const outcomes: PaymentOutcome[] = [];
  let kills = 0;
  const startedAt = Date.now();
  for (let trial = 0; trial < sizes.trials; trial += 1) {
    const zone = trial % 2 === 0 ? 'a' : 'b';
    await restarting[zone];
    const relay = world.relays[zone];
    world.gates[zone].arm(async () => {
      kills += 1;
      await relay.kill();
    });
    outcomes.push(await payAsTheSdkDoes(shop.payer, { index: trial, url: relay.url }));
    assert.equal(kills, trial + 1, `trial ${trial}: the relay died after Stripe charged`);
    restarting[zone] = relay.start();
  }
  await Promise.all(Object.values(restarting));
  return settle(world, shop, 'relay killed between charge and commit', outcomes, {
    trials: sizes.trials,
    'seconds per trial': ((Date.now() - startedAt) / 1000 / sizes.trials).toFixed(1),
  });
}
