import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

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
}

/**
 * Claims up to `limit` due HubSpot jobs across tenants in ONE statement, so several relay processes
 * can drain one outbox: `for update skip locked` keeps two claimers off the same rows, and the lease
 * (`locked_until`) keeps them off for as long as the claimer may take; a claimer that dies simply
 * lets the lease run out. Jobs of tenants without a working, unpaused connection are left alone.
 * Times come from the worker's clock, so a test can simulate an hour. Row-level security will need
 * this statement inside a SECURITY DEFINER function: keep it the only cross-tenant query.
 */
export async function claimDueJobs(
  knex: Knex,
  limit: number,
  options: { now: Date; leaseUntil: Date },
): Promise<ClaimedJob[]> {
  const result = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `with due as (
       select o.tenant_id, o.id from outbox o
       join hubspot_connections c on c.tenant_id = o.tenant_id and c.livemode = o.livemode
       where o.status = 'pending' and o.topic in (?, ?) and o.run_after <= ?
         and (o.locked_until is null or o.locked_until <= ?)
         and c.status = 'connected' and (c.paused_until is null or c.paused_until <= ?)
       order by o.run_after, o.id
       limit ?
       for update of o skip locked
     )
     update outbox o set locked_until = ?, locked_by = ?, updated_at = now()
     from due where o.tenant_id = due.tenant_id and o.id = due.id
     returning o.tenant_id, o.livemode, o.id, o.topic, o.transaction_id, o.payload, o.attempts, o.created_at, o.locked_by`,
    [...HUBSPOT_TOPICS, options.now, options.now, options.now, limit, options.leaseUntil, randomUUID()],
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
  }));
}
