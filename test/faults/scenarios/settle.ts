import assert from 'node:assert/strict';
import type { PaymentOutcome } from '../support/load.js';
import { countOutcomes, reconcileHubSpot, reconcileWhenSettled, type Figures } from '../support/ledger.js';
import type { OutboxUnderFault } from '../support/outbox-check.js';
import type { FaultWorld, Shop } from '../support/world.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After a scenario's load: every payer settled with a success (after retryable errors only), every
 * Stripe charge recorded once, every paid transaction pushed to HubSpot as one deal.
 */
export async function settle(
  world: FaultWorld,
  shop: Shop,
  scenario: string,
  outcomes: PaymentOutcome[],
  extra: Figures['extra'] = {},
): Promise<Figures> {
  const counts = countOutcomes(outcomes);
  const settling = Date.now();
  const ledger = await reconcileWhenSettled(world.owner.knex, world.stripe, shop.tenantId, outcomes);
  const crm = await reconcileHubSpot(world.owner.knex, world.hubspot, shop.tenantId, shop.portalId);
  const settledSeconds = ((Date.now() - settling) / 1000).toFixed(1);
  const figures: Figures = {
    scenario,
    attempted: counts.attempted,
    succeeded: counts.succeeded,
    refusedRetryable: counts.refusedRetryable,
    lost: ledger.lost + crm.missing,
    duplicated: ledger.duplicated + crm.duplicated,
    extra: {
      charged: ledger.charged,
      'hubspot synced': `${crm.synced}/${crm.paid}`,
      'recorded and synced within s': settledSeconds,
      ...(counts.retriedCodes ? { 'retryable answers': counts.retriedCodes } : {}),
      ...extra,
    },
  };
  assert.deepEqual(
    counts.unclear.map((outcome) => outcome.unclear),
    [],
    `${scenario}: every refusal is a clear, retryable error`,
  );
  assert.equal(counts.gaveUp, 0, `${scenario}: every refused payment succeeded on a retry`);
  assert.equal(ledger.processing, 0, `${scenario}: no attempt left processing`);
  assert.equal(counts.succeeded, counts.attempted, `${scenario}: every payer paid`);
  assert.equal(ledger.charged, counts.succeeded, `${scenario}: one charge per paid payer`);
  assert.equal(crm.synced, crm.paid, `${scenario}: every payment synced to HubSpot`);
  return figures;
}

/** Both zones' workers drained one outbox, each job delivered once but for those the fault cut short. */
export function assertOutbox(outbox: OutboxUnderFault): void {
  assert.equal(outbox.jobsDone, outbox.jobs, 'every HubSpot job done');
  assert.equal(
    outbox.redeliveredOutsideFault,
    0,
    `no job delivered twice outside the fault (leases); first delivered at ${outbox.outsideAt.join(', ')} s of the window`,
  );
  assert.ok(
    Object.keys(outbox.byRelay).filter((relay) => relay.startsWith('relay_')).length === 2,
    `both zones' workers delivered (${JSON.stringify(outbox.byRelay)})`,
  );
}

export function outboxFigures(outbox: OutboxUnderFault): Record<string, number | string> {
  return {
    'hubspot jobs done': `${outbox.jobsDone}/${outbox.jobs}`,
    'deal writes by relay': Object.entries(outbox.byRelay)
      .map(([relay, count]) => `${relay} ${count}`)
      .join(' / '),
    'jobs delivered again': outbox.redelivered,
    'of them first delivered after the fault window': outbox.redeliveredOutsideFault,
  };
}
