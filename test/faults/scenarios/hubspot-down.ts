import assert from 'node:assert/strict';
import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle } from './settle.js';

/**
 * HubSpot answers 503 to everything for the whole load. Payments must not notice: none refused.
 * Then HubSpot comes back and the workers of both relays deliver every payment once.
 */
export async function hubspotDown(
  world: FaultWorld,
  sizes: { rate: number; hubspotDownMs: number },
): Promise<Figures> {
  const shop = await world.openShop('HubSpot outage');
  world.hubspot.setOutage('down', { status: 503 });
  let dealsDuringOutage: number;
  try {
    const outcomes = await runOpenLoop({
      rate: sizes.rate,
      durationMs: sizes.hubspotDownMs,
      pay: (index) => payAsTheSdkDoes(shop.payer, { index }),
    });
    dealsDuringOutage = world.hubspot.deals(shop.portalId).length;
    const pending = await world.owner
      .knex('transactions')
      .where({ tenant_id: shop.tenantId })
      .whereIn('hubspot_sync_state', ['pending', 'retrying'])
      .count('* as count');
    const waiting = Number(pending[0]?.count);
    world.hubspot.setOutage('none');
    const figures = await settle(world, shop, 'HubSpot down', outcomes, {
      'deals during outage': dealsDuringOutage,
      'waiting at recovery': waiting,
    });
    assert.equal(figures.refusedRetryable, 0, 'no payment refused while HubSpot is down');
    assert.equal(dealsDuringOutage, 0);
    assert.equal(waiting, outcomes.length, 'every payment waited for HubSpot, none dropped');
    return figures;
  } finally {
    world.hubspot.setOutage('none');
  }
}
