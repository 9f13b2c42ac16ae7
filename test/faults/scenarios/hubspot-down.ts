import assert from 'node:assert/strict';
import { payAsTheSdkDoes, runOpenLoop } from '../support/load.js';
import type { Figures } from '../support/ledger.js';
import type { FaultWorld } from '../support/world.js';
import { settle } from './settle.js';

/** How long HubSpot is down, on the simulated clock the sandbox and the relays' workers share. */
export const SIMULATED_OUTAGE_MS = 10 * 60_000;

/** The worker's production settings (relay/src/config.ts defaults): what the outage must get through. */
const PRODUCTION_WORKER = {
  HUBSPOT_WORKER_LEASE_MS: '120000',
  HUBSPOT_RETRY_BASE_MS: '15000',
  HUBSPOT_RETRY_MAX_MS: '3600000',
  HUBSPOT_MAX_ATTEMPTS: '15',
};

/**
 * HubSpot answers 503 to everything for 10 minutes of simulated time, under load. The clock the
 * HubSpot sandbox and both relays' HubSpot workers (their claims, leases, backoff and rate limiter)
 * run on goes `600 s / hubspotDownMs` times real time, so the workers live through the whole 10
 * minutes of failed attempts and backoff with their production settings; payments are real time.
 * Payments must not notice: none refused. Then HubSpot comes back and the workers of both relays
 * deliver every payment once.
 */
export async function hubspotDown(
  world: FaultWorld,
  sizes: { rate: number; hubspotDownMs: number },
): Promise<Figures> {
  const shop = await world.openShop('HubSpot outage');
  const speed = SIMULATED_OUTAGE_MS / sizes.hubspotDownMs;
  await world.setClockSpeed(speed, PRODUCTION_WORKER);
  const downAt = world.clock.now();
  world.hubspot.setOutage('down', { status: 503 });
  world.hubspot.resetStats();
  try {
    const outcomes = await runOpenLoop({
      rate: sizes.rate,
      durationMs: sizes.hubspotDownMs,
      pay: (index) => payAsTheSdkDoes(shop.payer, { index }),
    });
    const simulatedDownMs = world.clock.now() - downAt;
    const refusedByHubSpot = world.hubspot.stats().requests;
    const dealsDuringOutage = world.hubspot.deals(shop.portalId).length;
    const jobs = (await world.owner
      .knex('outbox')
      .where({ tenant_id: shop.tenantId, topic: 'hubspot.transaction' })
      .whereNot({ status: 'done' })
      .select('status', 'attempts', 'transaction_id')) as Array<{
      status: string;
      attempts: number;
      transaction_id: string;
    }>;
    // A payment may have a job per status it went through (processing, then succeeded).
    const waiting = new Set(jobs.map((job) => job.transaction_id)).size;
    const attempts = jobs.map((job) => job.attempts);
    world.hubspot.setOutage('none');
    const upAt = world.clock.now();
    const figures = await settle(world, shop, 'HubSpot down', outcomes, {
      'simulated minutes down': (simulatedDownMs / 60_000).toFixed(1),
      'clock speed': `${speed.toFixed(0)}x`,
      'HubSpot calls refused': refusedByHubSpot,
      'attempts per job at recovery': `${Math.min(...attempts)}-${Math.max(...attempts)}`,
      'deals during outage': dealsDuringOutage,
      'waiting at recovery': waiting,
    });
    const syncedAfter = ((world.clock.now() - upAt) / 60_000).toFixed(1);
    figures.extra = { ...figures.extra, 'all synced within simulated minutes of recovery': syncedAfter };
    assert.ok(simulatedDownMs >= SIMULATED_OUTAGE_MS, 'HubSpot was down for 10 simulated minutes');
    assert.equal(figures.refusedRetryable, 0, 'no payment refused while HubSpot is down');
    assert.equal(dealsDuringOutage, 0);
    assert.equal(waiting, outcomes.length, 'every payment waited for HubSpot, none dropped');
    assert.ok(
      jobs.every((job) => job.status === 'pending'),
      'no job dead-lettered by the outage',
    );
    // Backoff from 15 s doubling: over 10 minutes, a job paid at the start tried about six times.
    assert.ok(
      Math.max(...attempts) >= 4,
      `the workers kept retrying with backoff (${Math.max(...attempts)})`,
    );
    return figures;
  } finally {
    world.hubspot.setOutage('none');
    const defaults = world.relayDefaults();
    await world.setClockSpeed(
      1,
      Object.fromEntries(Object.keys(PRODUCTION_WORKER).map((name) => [name, defaults[name] as string])),
    );
  }
}
