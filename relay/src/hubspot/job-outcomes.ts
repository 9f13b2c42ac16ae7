import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { ClaimedJob } from './claim-jobs.js';

/** Transactions synced by one push: jobs done, ids stored, the state `synced`. */
export async function recordSynced(
  knex: Knex,
  scope: TenantScope,
  synced: Array<{
    transactionId: string;
    contactId: string | null;
    dealId: string;
    lineItemId: string;
    jobs: ClaimedJob[];
  }>,
  now: Date,
  formJobs: Array<{ transactionId: string; dueAt: Date }>,
): Promise<void> {
  if (synced.length === 0) return;
  await inTenantTransaction(knex, scope, async (trx) => {
    await trx('outbox')
      .where({ tenant_id: scope.tenantId })
      .where(ownedBy(synced.flatMap((item) => item.jobs)))
      .update({
        status: 'done',
        locked_until: null,
        locked_by: null,
        last_error: null,
        updated_at: trx.fn.now(),
      });
    const rows = synced.map((item) => [item.transactionId, item.contactId, item.dealId, item.lineItemId]);
    await trx.raw(
      `update transactions t set hubspot_sync_state = 'synced', hubspot_sync_attempts = hubspot_sync_attempts + 1,
         hubspot_last_error = null, hubspot_contact_id = coalesce(v.contact_id, t.hubspot_contact_id),
         hubspot_deal_id = v.deal_id, hubspot_line_item_id = v.line_item_id, hubspot_synced_at = ?
       from (values ${rows.map(() => '(?::uuid, ?::text, ?::text, ?::text)').join(', ')})
         as v(id, contact_id, deal_id, line_item_id)
       where t.tenant_id = ? and t.id = v.id`,
      [now, ...rows.flat(), scope.tenantId],
    );
    if (formJobs.length > 0) {
      await trx('outbox')
        .insert(
          formJobs.map((job) => ({
            tenant_id: scope.tenantId,
            livemode: scope.livemode,
            topic: 'hubspot.form_submission',
            dedupe_key: `hubspot.form_submission:${job.transactionId}`,
            transaction_id: job.transactionId,
            payload: JSON.stringify({ dueAt: job.dueAt.toISOString() }),
            run_after: job.dueAt,
          })),
        )
        .onConflict(['tenant_id', 'dedupe_key'])
        .ignore();
    }
  });
}

/**
 * A failed attempt: the jobs go back with exponential backoff, or to the dead letters (status
 * `dead`, kept for `hubspot replay`) after `maxAttempts`; the transactions show `retrying` or `failed`.
 */
export async function recordFailed(
  knex: Knex,
  scope: TenantScope,
  jobs: readonly ClaimedJob[],
  error: string,
  options: { now: number; maxAttempts: number; delayFor: (attempt: number) => number },
): Promise<{ dead: number }> {
  if (jobs.length === 0) return { dead: 0 };
  const message = error.slice(0, 1000);
  let dead = 0;
  await inTenantTransaction(knex, scope, async (trx) => {
    const rows = jobs.map((job) => {
      const attempts = job.attempts + 1;
      const isDead = attempts >= options.maxAttempts;
      if (isDead) dead++;
      return [
        job.id,
        job.lockedBy,
        attempts,
        isDead ? 'dead' : 'pending',
        new Date(options.now + options.delayFor(attempts)),
      ];
    });
    const updated = await trx.raw<{ rows: Array<{ id: string }> }>(
      `update outbox o set attempts = v.attempts, status = v.status, run_after = v.run_after,
         locked_until = null, locked_by = null, last_error = ?, updated_at = now()
       from (values ${rows.map(() => '(?::bigint, ?::text, ?::int, ?::text, ?::timestamptz)').join(', ')})
         as v(id, locked_by, attempts, status, run_after)
       where o.tenant_id = ? and o.id = v.id and o.locked_by = v.locked_by
       returning o.id`,
      [message, ...rows.flat(), scope.tenantId],
    );
    const owned = new Set(updated.rows.map((row) => String(row.id)));
    await markTransactions(
      trx,
      scope,
      jobs.filter((job) => owned.has(job.id)),
      message,
      true,
    );
  });
  return { dead };
}

/** Puts jobs back without counting an attempt (a paused or broken tenant, a rate-limit wait). */
export async function releaseJobs(
  knex: Knex,
  scope: TenantScope,
  jobs: readonly ClaimedJob[],
  options: { runAfter?: Date; note?: string } = {},
): Promise<void> {
  if (jobs.length === 0) return;
  await inTenantTransaction(knex, scope, async (trx) => {
    await trx('outbox')
      .where({ tenant_id: scope.tenantId })
      .where(ownedBy(jobs))
      .update({
        locked_until: null,
        locked_by: null,
        ...(options.runAfter ? { run_after: options.runAfter } : {}),
        ...(options.note ? { last_error: options.note.slice(0, 1000) } : {}),
        updated_at: trx.fn.now(),
      });
    if (options.note) await markTransactions(trx, scope, jobs, options.note, false);
  });
}

/** Jobs with nothing left to do (transaction gone, form already submitted). */
export async function completeJobs(
  knex: Knex,
  scope: TenantScope,
  jobs: readonly ClaimedJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  await inTenantTransaction(knex, scope, (trx) =>
    trx('outbox')
      .where({ tenant_id: scope.tenantId })
      .where(ownedBy(jobs))
      .update({ status: 'done', locked_until: null, locked_by: null, updated_at: trx.fn.now() }),
  );
}

async function markTransactions(
  trx: Knex.Transaction,
  scope: TenantScope,
  jobs: readonly ClaimedJob[],
  message: string,
  countAttempt: boolean,
): Promise<void> {
  const ids: string[] = [
    ...new Set(
      jobs.filter((job) => job.topic === 'hubspot.transaction').flatMap((job) => job.transactionId ?? []),
    ),
  ];
  if (ids.length === 0) return;
  await trx.raw(
    `update transactions t set hubspot_last_error = ?,
       hubspot_sync_attempts = hubspot_sync_attempts + ?,
       hubspot_sync_state = case
         when exists (select 1 from outbox o where o.tenant_id = t.tenant_id and o.transaction_id = t.id
           and o.topic = 'hubspot.transaction' and o.status = 'dead') then 'failed'
         when ? then 'retrying' else t.hubspot_sync_state end
     where t.tenant_id = ? and t.id = any(?::uuid[])`,
    [message, countAttempt ? 1 : 0, countAttempt, scope.tenantId, ids],
  );
}

/**
 * Matches the jobs only while their claim still holds them (same fencing token). Jobs of one
 * round share a token, so this is `id in (...) and locked_by = ?`, which the primary key serves.
 */
function ownedBy(jobs: readonly ClaimedJob[]) {
  const byToken = new Map<string, string[]>();
  for (const job of jobs) byToken.set(job.lockedBy, [...(byToken.get(job.lockedBy) ?? []), job.id]);
  return (query: Knex.QueryBuilder) => {
    for (const [token, ids] of byToken) {
      void query.orWhere((owned) => void owned.whereIn('id', ids).andWhere('locked_by', token));
    }
  };
}
