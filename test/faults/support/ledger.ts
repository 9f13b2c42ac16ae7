import type { Knex } from 'knex';
import type { HubSpotSandbox, StripeSandbox } from '@onepagepay/sandbox';
import type { PaymentOutcome } from './load.js';

export interface Figures {
  scenario: string;
  attempted: number;
  succeeded: number;
  /** Payers who got at least one retryable error (and then retried with the same attempt id). */
  refusedRetryable: number;
  /** Charges at Stripe the database does not hold as paid, or successes answered to a payer and not recorded. */
  lost: number;
  /** Attempts charged more than once, or payments pushed to HubSpot as more than one deal. */
  duplicated: number;
  failoverSeconds?: number;
  extra?: Record<string, number | string>;
}

interface Reconciliation {
  lost: number;
  duplicated: number;
  /** Transactions still `processing`: an attempt whose outcome nobody recorded. */
  processing: number;
  charged: number;
}

/**
 * Compares what Stripe charged for a tenant with what the database recorded, and with what the
 * payers were told: every succeeded PaymentIntent must be one succeeded transaction of its attempt.
 */
export async function reconcile(
  knex: Knex,
  stripe: StripeSandbox,
  tenantId: string,
  outcomes: PaymentOutcome[],
): Promise<Reconciliation> {
  const charged = stripe
    .paymentIntents(undefined, false)
    .filter(
      (intent) => intent.metadata['onepagepay_tenant_id'] === tenantId && intent.status === 'succeeded',
    );
  const rows = (await knex('transactions')
    .where({ tenant_id: tenantId })
    .select('id', 'attempt_id', 'status', 'provider_payment_id')) as Array<{
    id: string;
    attempt_id: string;
    status: string;
    provider_payment_id: string | null;
  }>;
  const byAttempt = new Map(rows.map((row) => [row.attempt_id, row]));
  const chargesPerAttempt = new Map<string, number>();
  let lost = 0;
  for (const intent of charged) {
    const attempt = intent.metadata['onepagepay_attempt_id'] as string;
    chargesPerAttempt.set(attempt, (chargesPerAttempt.get(attempt) ?? 0) + 1);
    const row = byAttempt.get(attempt);
    if (row?.status !== 'succeeded' || row.provider_payment_id !== intent.id) lost += 1;
  }
  const told = outcomes.filter((outcome) => outcome.result === 'succeeded');
  for (const outcome of told) {
    const row = byAttempt.get(outcome.attemptId);
    if (row?.status !== 'succeeded' || row.id !== outcome.transactionId) lost += 1;
  }
  const duplicated = [...chargesPerAttempt.values()].filter((count) => count > 1).length;
  return {
    lost,
    duplicated,
    processing: rows.filter((row) => row.status === 'processing').length,
    charged: charged.length,
  };
}

/** Waits until webhooks have recorded every charge (or `timeoutMs` passes), then reconciles. */
export async function reconcileWhenSettled(
  knex: Knex,
  stripe: StripeSandbox,
  tenantId: string,
  outcomes: PaymentOutcome[],
  timeoutMs = 60_000,
): Promise<Reconciliation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await reconcile(knex, stripe, tenantId, outcomes);
    if ((result.lost === 0 && result.processing === 0) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Waits until every paid transaction of the tenant is synced to HubSpot, then counts deals per
 * transaction: a missing one is lost, a second one duplicated.
 */
export async function reconcileHubSpot(
  knex: Knex,
  hubspot: HubSpotSandbox,
  tenantId: string,
  portalId: number,
  timeoutMs = 120_000,
): Promise<{ synced: number; paid: number; missing: number; duplicated: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const paid = (await knex('transactions')
      .where({ tenant_id: tenantId, status: 'succeeded' })
      .select('id', 'hubspot_sync_state')) as Array<{ id: string; hubspot_sync_state: string | null }>;
    const synced = paid.filter((row) => row.hubspot_sync_state === 'synced').length;
    if (synced === paid.length || Date.now() > deadline) {
      const deals = new Map<string, number>();
      for (const deal of hubspot.deals(portalId)) {
        const id = String(deal.properties['onepagepay_transaction_id']);
        deals.set(id, (deals.get(id) ?? 0) + 1);
      }
      return {
        synced,
        paid: paid.length,
        missing: paid.filter((row) => !deals.has(row.id)).length,
        duplicated: [...deals.values()].filter((count) => count > 1).length,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Counts what the load generator saw. */
export function countOutcomes(outcomes: PaymentOutcome[]) {
  return {
    attempted: outcomes.length,
    succeeded: outcomes.filter((outcome) => outcome.result === 'succeeded').length,
    refusedRetryable: outcomes.filter((outcome) => outcome.retried.length > 0).length,
    unclear: outcomes.filter((outcome) => outcome.result === 'unclear'),
    gaveUp: outcomes.filter((outcome) => outcome.result === 'gave_up').length,
    /** How many times each retryable code was answered, e.g. "database_unavailable 12". */
    retriedCodes: Object.entries(
      outcomes
        .flatMap((outcome) => outcome.retried)
        .reduce<Record<string, number>>(
          (counts, code) => ({ ...counts, [code]: (counts[code] ?? 0) + 1 }),
          {},
        ),
    )
      .map(([code, count]) => `${code} ${count}`)
      .join(' / '),
  };
}

export function printFigures(figures: Figures): void {
  const extra = Object.entries(figures.extra ?? {})
    .map(([key, value]) => `, ${key} ${value}`)
    .join('');
  console.log(
    `  [${figures.scenario}] payments attempted ${figures.attempted}, succeeded ${figures.succeeded}, ` +
      `refused-retryable ${figures.refusedRetryable}, lost ${figures.lost}, duplicated ${figures.duplicated}; ` +
      `failover seconds ${figures.failoverSeconds === undefined ? 'n/a' : figures.failoverSeconds.toFixed(1)}${extra}`,
  );
}
