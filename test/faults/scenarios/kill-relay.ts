import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle, sleep } from './settle.js';

/** kill -9 the zone A relay a third into the load, start it again at two thirds. */
export async function killRelay(
  world: FaultWorld,
  sizes: { rate: number; relayKillMs: number },
): Promise<Figures> {
  const shop = await world.openShop('Relay kill');
  const third = sizes.relayKillMs / 3;
  const outcomes = await runOpenLoop({
    rate: sizes.rate,
    durationMs: sizes.relayKillMs,
    pay: (index) => payAsTheSdkDoes(shop.payer, { index }),
    during: async () => {
      await sleep(third);
      await world.relays.a.kill();
      await sleep(third);
      await world.relays.a.start();
    },
  });
  return settle(world, shop, 'relay killed', outcomes);
}
