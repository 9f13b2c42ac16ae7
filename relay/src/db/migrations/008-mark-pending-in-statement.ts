import type { Knex } from 'knex';

/**
 * The outbox trigger of 002 marked a transaction `pending` whenever a HubSpot job was queued for it.
 * Its update found the transaction through a plan plpgsql cached per connection, made while the table
 * was empty: every index of transactions costs the same then, and the planner took one that leads
 * with `tenant_id` alone (transactions_form_listing_idx). A relay whose pooled connections started on a
 * young database so scanned every transaction of the tenant on each payment, until an ANALYZE
 * replanned it: the outbox insert climbed from 200 to 440 shared buffers over 20,000 payments, where a
 * connection planned on a full table reads about 67 (docs/benchmarks.md).
 *
 * The writers of HubSpot transaction jobs mark the transaction themselves: the payment path and
 * webhooks (enqueueHubSpotSync) in the statement that queues the job, planned with its values on
 * every call, and `hubspot backfill` and `replay` (requeue.ts) in the same database transaction. So
 * the trigger goes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists outbox_marks_hubspot_pending on outbox');
  await knex.raw('drop function if exists onepagepay_mark_hubspot_pending()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create function onepagepay_mark_hubspot_pending() returns trigger
    language plpgsql as $$
    begin
      update transactions set hubspot_sync_state = 'pending'
        where tenant_id = new.tenant_id and id = new.transaction_id;
      return null;
    end $$`);
  await knex.raw(`create trigger outbox_marks_hubspot_pending after insert on outbox
    for each row when (new.topic = 'hubspot.transaction' and new.transaction_id is not null)
    execute function onepagepay_mark_hubspot_pending()`);
}
