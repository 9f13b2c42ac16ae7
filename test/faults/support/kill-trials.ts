import assert from 'node:assert/strict';
import type { PaymentOutcome } from './load.js';
import type { FaultWorld } from './world.js';

/**
 * `trials` payments, each sent straight to one of three trial relays (the same program and settings
 * as the zones' relays, outside HAProxy so the trial knows which one it reached), whose Stripe gate
 * lets the charge succeed at Stripe and then kills the relay (kill -9) before it hears the answer,
 * so before it commits the outcome. The killed relay is started again while the other trial relays
 * take the next trials; all are stopped at the end.
 */
export async function runKillTrials(
  world: FaultWorld,
  trials: number,
  pay: (relayUrl: string, trial: number) => Promise<PaymentOutcome>,
): Promise<{ outcomes: PaymentOutcome[]; secondsPerTrial: string }> {
  const pool = await Promise.all(
    world.ports.trialRelays.map((port, index) => world.addRelay(`trial_relay_${index}`, port)),
  );
  await Promise.all(pool.map(({ relay }) => relay.start()));
  const restarting = new Map<number, Promise<void>>();
  const outcomes: PaymentOutcome[] = [];
  let kills = 0;
  const startedAt = Date.now();
  for (let trial = 0; trial < trials; trial += 1) {
    const slot = trial % pool.length;
    const { relay, gate } = pool[slot] as (typeof pool)[number];
    await restarting.get(slot);
    gate.arm(async () => {
      kills += 1;
      await relay.kill();
    });
    outcomes.push(await pay(relay.url, trial));
    assert.equal(kills, trial + 1, `trial ${trial}: the relay died after Stripe charged`);
    restarting.set(slot, relay.start());
  }
  await Promise.all(restarting.values());
  await Promise.all(pool.map(({ relay }) => relay.stop()));
  return { outcomes, secondsPerTrial: ((Date.now() - startedAt) / 1000 / trials).toFixed(1) };
}
