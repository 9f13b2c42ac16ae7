import assert from 'node:assert/strict';
import { createCardPaymentMethod } from '../../../relay/src/testing/payment-fixtures.js';
import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle, sleep } from './settle.js';

/**
 * Stripe answers 500 for a third of the load, then takes longer than the relay's 3 s timeout for
 * another third, then recovers. Payers get `provider_unavailable` (503) and retry with the same
 * attempt; afterwards every charge is recorded once and no attempt is left open.
 */
export async function stripeDown(
  world: FaultWorld,
  sizes: { rate: number; stripeDownMs: number },
): Promise<Figures> {
  const shop = await world.openShop('Stripe outage');
  const third = sizes.stripeDownMs / 3;
  // Card details are tokenized before the outage: Stripe.js would be down too, and that is not
  // what this scenario is about.
  const paymentMethods = await Promise.all(
    Array.from({ length: Math.ceil((sizes.rate * sizes.stripeDownMs) / 1000) + 5 }, () =>
      createCardPaymentMethod(shop.payer.stripeUrl, shop.payer.publishableKey, '4242424242424242'),
    ),
  );
  let outcomes;
  try {
    outcomes = await runOpenLoop({
      rate: sizes.rate,
      durationMs: sizes.stripeDownMs,
      pay: (index) =>
        payAsTheSdkDoes(shop.payer, {
          index,
          deadlineMs: 180_000,
          paymentMethod: paymentMethods[index] as string,
        }),
      during: async () => {
        world.stripe.setOutage('down');
        await sleep(third);
        world.stripe.setOutage('slow', 5_000);
        await sleep(third);
        world.stripe.setOutage('none');
      },
    });
  } finally {
    world.stripe.setOutage('none');
  }
  const told = outcomes.filter((outcome) => outcome.retried.includes('provider_unavailable')).length;
  const figures = await settle(world, shop, 'Stripe 500 and timeouts', outcomes, {
    'told provider_unavailable': told,
  });
  assert.ok(told > 0, 'payers during the outage were told provider_unavailable');
  return figures;
}
