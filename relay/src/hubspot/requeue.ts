import type { Knex } from 'knex';
import { PUSHED_STATUSES } from './load-records.js';

export interface RequeueFilter {
  tenantId?: string;
  since?: Date;
}

const BATCH = 500;

/**
 * Puts dead letters back in the queue with a fresh attempt budget (`hubspot replay`). Runs as an
 * operator across tenants; `onProgress` gets (done, total) after every batch.
 */
export async function replayDeadLetters(
  knex: Knex,
  filter: RequeueFilter,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  const scoped = (query: Knex.QueryBuilder) => {
    query.where({ status: 'dead' }).whereIn('topic', ['hubspot.transaction', 'hubspot.form_submission']);
    if (filter.tenantId) query.where({ tenant_id: filter.tenantId });
    if (filter.since) query.where('created_at', '>=', filter.since);
    return query;
  };
  const [{ count } = { count: 0 }] = (await scoped(knex('outbox')).count('* as count')) as Array<{
    count: string | number;
  }>;
  const total = Number(count);
  let done = 0;
  onProgress(0, total);
  for (;;) {
    const ids = (await scoped(knex('outbox')).orderBy('id').limit(BATCH).select('tenant_id', 'id')) as Array<{
      tenant_id: string;
      id: string;
    }>;
    if (ids.length === 0) break;
    await knex.transaction(async (trx) => {
      const requeued = (await trx('outbox')
        .whereIn(
          ['tenant_id', 'id'],
          ids.map((row) => [row.tenant_id, row.id]),
        )
        .where({ status: 'dead' })
        .update({
          status: 'pending',
          attempts: 0,
          run_after: trx.fn.now(),
          locked_until: null,
          updated_at: trx.fn.now(),
        })
        .returning(['tenant_id', 'transaction_id', 'topic'])) as Array<{
        tenant_id: string;
        transaction_id: string | null;
        topic: string;
      }>;
      await markPending(
        trx,
        requeued.filter((row) => row.topic === 'hubspot.transaction'),
      );
    });
    done += ids.length;
    onProgress(done, total);
  }
  return done;
}

/**
 * Queues a push for paid transactions (`hubspot backfill`): ones made before HubSpot was connected
 * or before this feature, or, with `all`, every one again (e.g. after connecting a new portal; the
 * upserts update the existing records). Jobs are deduplicated per transaction and run.
 */
export async function backfillTransactions(
  knex: Knex,
  filter: RequeueFilter & { all?: boolean; runId: string },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  const scoped = (query: Knex.QueryBuilder) => {
    query.whereIn('status', [...PUSHED_STATUSES]);
    if (!filter.all)
      query.where((where) =>
        where.whereNull('hubspot_sync_state').orWhere('hubspot_sync_state', '<>', 'synced'),
      );
    if (filter.tenantId) query.where({ tenant_id: filter.tenantId });
    if (filter.since) query.where('created_at', '>=', filter.since);
    return query;
  };
  const [{ count } = { count: 0 }] = (await scoped(knex('transactions')).count('* as count')) as Array<{
    count: string | number;
  }>;
  const total = Number(count);
  onProgress(0, total);
  let done = 0;
  let after: { created_at: Date; id: string } | undefined;
  for (;;) {
    const query = scoped(knex('transactions'))
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .limit(BATCH);
    if (after) query.whereRaw('(created_at, id) > (?, ?)', [after.created_at, after.id]);
    const rows = (await query.select('tenant_id', 'livemode', 'id', 'created_at')) as Array<{
      tenant_id: string;
      livemode: boolean;
      id: string;
      created_at: Date;
    }>;
    if (rows.length === 0) break;
    await knex.transaction(async (trx) => {
      const queued = (await trx('outbox')
        .insert(
          rows.map((row) => ({
            tenant_id: row.tenant_id,
            livemode: row.livemode,
            topic: 'hubspot.transaction',
            dedupe_key: `hubspot.transaction:${row.id}:backfill:${filter.runId}`,
            transaction_id: row.id,
            payload: JSON.stringify({ reason: 'backfill' }),
          })),
        )
        .onConflict(['tenant_id', 'dedupe_key'])
        .ignore()
        .returning(['tenant_id', 'transaction_id'])) as Array<{ tenant_id: string; transaction_id: string }>;
      await markPending(trx, queued);
    });
    const last = rows[rows.length - 1] as (typeof rows)[number];
    after = { created_at: last.created_at, id: last.id };
    done += rows.length;
    onProgress(done, total);
  }
  return done;
}

/**
 * Shows the transactions of jobs just queued or re-queued as pending, in the same database
 * transaction, as enqueueHubSpotSync does for payments (migration 008: no trigger does it).
 */
async function markPending(
  trx: Knex.Transaction,
  jobs: Array<{ tenant_id: string; transaction_id: string | null }>,
): Promise<void> {
  const pairs = jobs.flatMap((job) => (job.transaction_id ? [[job.tenant_id, job.transaction_id]] : []));
  if (pairs.length === 0) return;
  await trx('transactions').whereIn(['tenant_id', 'id'], pairs).update({ hubspot_sync_state: 'pending' });
}
