import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** The topics the function claims (listed again in its SQL). */
export const HUBSPOT_TOPICS = ['hubspot.transaction', 'hubspot.form_submission'] as const;

export interface ClaimedJob {
  tenantId: string;
  livemode: boolean;
  id: string;
  topic: (typeof HUBSPOT_TOPICS)[number];
  transactionId: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  /** This claim's fencing token: outcomes are recorded only while the job is still ours. */
  lockedBy: string;
  /** When the claim's lease ends, on the worker's clock (see JobLease). */
  leaseUntil: Date;
}

/**
 * Claims up to `limit` due HubSpot jobs across tenants in ONE statement (the SECURITY DEFINER
 * function `onepagepay_claim_hubspot_jobs` of migration 002, so it works for the app role under
 * row-level security), so several relay processes can drain one outbox: `for update skip locked`
 * keeps two claimers off the same rows, and the lease (`locked_until`, with a fencing token in
 * `locked_by`) keeps them off for as long as the claimer may take; a claimer that dies simply lets
 * the lease run out. Jobs of tenants without a working, unpaused connection are left alone. Times
 * come from the worker's clock, so a test can simulate an hour. It is the only cross-tenant query.
 */
export async function claimDueJobs(
  knex: Knex,
  limit: number,
  options: { now: Date; leaseUntil: Date },
): Promise<ClaimedJob[]> {
  const result = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    'select * from onepagepay_claim_hubspot_jobs(?, ?, ?, ?)',
    [options.now, options.leaseUntil, randomUUID(), limit],
  );
  return result.rows.map((row) => ({
    tenantId: row['tenant_id'] as string,
    livemode: row['livemode'] as boolean,
    id: String(row['id']),
    topic: row['topic'] as ClaimedJob['topic'],
    transactionId: (row['transaction_id'] as string | null) ?? null,
    payload: (typeof row['payload'] === 'string' ? JSON.parse(row['payload']) : row['payload']) as Record<
      string,
      unknown
    >,
    attempts: row['attempts'] as number,
    createdAt: new Date(row['created_at'] as string | Date),
    lockedBy: row['locked_by'] as string,
    leaseUntil: options.leaseUntil,
  }));
}
