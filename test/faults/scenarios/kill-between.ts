import { runKillTrials } from '../support/kill-trials.js';
import { payAsTheSdkDoes } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle } from './settle.js';

/**
 * `trials` times: a relay killed after Stripe charged and before its commit (support/kill-trials.ts).
 * The payer retries through HAProxy with the same attempt id; the Stripe webhook (sent to HAProxy),
 * the retry (which takes over the attempt once its claim lapses, with the same idempotency key) or
 * the reconciliation sweep records the charge.
 */
export async function killBetweenChargeAndCommit(
  world: FaultWorld,
  sizes: { trials: number },
): Promise<Figures> {
  const shop = await world.openShop('Kill between charge and commit');
  const { outcomes, secondsPerTrial } = await runKillTrials(world, sizes.trials, (url, trial) =>
    payAsTheSdkDoes(shop.payer, { index: trial, url }),
  );
  return settle(world, shop, 'relay killed between charge and commit', outcomes, {
    trials: sizes.trials,
    'seconds per trial': secondsPerTrial,
  });
}
