import type { Knex } from 'knex';
import { APP_ROLE, ensureAppRole } from '../row-security.js';

/**
 * HubSpot push: each tenant's portal connection (tokens encrypted), the per-form deal pipeline, and
 * the sync and form-submission state of each transaction, kept on the transaction row so listings can
 * filter on it without a join.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hubspot_connections', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.bigInteger('portal_id').notNullable();
    table.text('auth_kind').notNullable();
    /** `<key id>.<iv>.<tag>.<ciphertext>`, AES-256-GCM; never the plain token. */
    table.text('access_token').notNullable();
    table.text('refresh_token').nullable();
    table.timestamp('access_token_expires_at', { useTz: true }).nullable();
    table.specificType('scopes', 'text[]').notNullable().defaultTo('{}');
    table.text('status').notNullable().defaultTo('connected');
    table.text('broken_reason').nullable();
    /** A DAILY 429 pauses only this tenant, until HubSpot's reset. */
    table.timestamp('paused_until', { useTz: true }).nullable();
    table.timestamp('properties_ready_at', { useTz: true }).nullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'livemode']);
  });
  await knex.raw(`alter table hubspot_connections add constraint hubspot_connections_kind_check
    check (auth_kind in ('oauth', 'private_app'))`);
  await knex.raw(`alter table hubspot_connections add constraint hubspot_connections_status_check
    check (status in ('connected', 'broken'))`);

  await knex.schema.alterTable('forms', (table) => {
    table.text('hubspot_pipeline').nullable();
    table.text('hubspot_deal_stage').nullable();
  });

  await knex.schema.alterTable('transactions', (table) => {
    table.text('hubspot_sync_state').nullable();
    table.integer('hubspot_sync_attempts').notNullable().defaultTo(0);
    table.text('hubspot_last_error').nullable();
    table.text('hubspot_contact_id').nullable();
    table.text('hubspot_deal_id').nullable();
    table.text('hubspot_line_item_id').nullable();
    table.timestamp('hubspot_synced_at', { useTz: true }).nullable();
    table.timestamp('form_submitted_at', { useTz: true }).nullable();
    table.text('form_submitted_by').nullable();
  });
  await knex.raw(`alter table transactions add constraint transactions_hubspot_sync_state_check
    check (hubspot_sync_state in ('pending', 'synced', 'retrying', 'failed'))`);
  await knex.raw(`alter table transactions add constraint transactions_form_submitted_by_check
    check (form_submitted_by in ('browser', 'relay'))`);
  // Who holds a claimed job: a worker whose lease ran out (it stalled) must not record an outcome
  // over the worker that took the job over.
  await knex.schema.alterTable('outbox', (table) => {
    table.text('locked_by').nullable();
  });
  // A push reads when each transaction was paid (its first job); without this, a scan per row.
  await knex.raw('create index outbox_transaction_idx on outbox (tenant_id, transaction_id)');
  await knex.raw(`create index transactions_hubspot_sync_idx
    on transactions (tenant_id, livemode, hubspot_sync_state) where hubspot_sync_state is not null`);

  // Whoever writes a HubSpot push job (the payment path, a webhook, a replay) makes the transaction
  // show as pending in the same database transaction, without every writer having to remember it.
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
  // The HubSpot worker's claim, the one query that crosses tenants. SECURITY DEFINER so the app role
  // can run it under row-level security; times come from the caller, so tests can simulate an hour.
  // Only tenants with a working, unpaused connection are claimed; `for update skip locked` and the
  // lease keep concurrent claimers (several relays) off each other's jobs.
  await knex.raw(`create function onepagepay_claim_hubspot_jobs(
      p_now timestamptz, p_lease_until timestamptz, p_locked_by text, p_limit integer)
    returns table (tenant_id uuid, livemode boolean, id bigint, topic text, transaction_id uuid,
                   payload jsonb, attempts integer, created_at timestamptz, locked_by text)
    language sql volatile security definer set search_path = public, pg_temp as $$
      with due as (
        select o.tenant_id, o.id from outbox o
          join hubspot_connections c on c.tenant_id = o.tenant_id and c.livemode = o.livemode
         where o.status = 'pending' and o.topic in ('hubspot.transaction', 'hubspot.form_submission')
           and o.run_after <= p_now and (o.locked_until is null or o.locked_until <= p_now)
           and c.status = 'connected' and (c.paused_until is null or c.paused_until <= p_now)
         order by o.run_after, o.id
         limit least(greatest(p_limit, 1), 10000)
         for update of o skip locked
      )
      update outbox o set locked_until = p_lease_until, locked_by = p_locked_by, updated_at = now()
        from due where o.tenant_id = due.tenant_id and o.id = due.id
      returning o.tenant_id, o.livemode, o.id, o.topic, o.transaction_id, o.payload, o.attempts,
                o.created_at, o.locked_by
    $$`);
  await ensureAppRole(knex);
  const claim = 'onepagepay_claim_hubspot_jobs(timestamptz, timestamptz, text, integer)';
  await knex.raw(`revoke all on function ${claim} from public`);
  await knex.raw(`grant execute on function ${claim} to ${APP_ROLE}`);

  await knex.raw(`update transactions t set hubspot_sync_state = 'pending'
    where exists (select 1 from outbox o where o.tenant_id = t.tenant_id
      and o.transaction_id = t.id and o.topic = 'hubspot.transaction' and o.status = 'pending')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'drop function if exists onepagepay_claim_hubspot_jobs(timestamptz, timestamptz, text, integer)',
  );
  await knex.raw('drop trigger if exists outbox_marks_hubspot_pending on outbox');
  await knex.raw('drop function if exists onepagepay_mark_hubspot_pending()');
  await knex.raw('drop index if exists transactions_hubspot_sync_idx');
  await knex.raw('drop index if exists outbox_transaction_idx');
  await knex.schema.alterTable('outbox', (table) => table.dropColumn('locked_by'));
  await knex.schema.alterTable('transactions', (table) => {
    for (const column of [
      'hubspot_sync_state',
      'hubspot_sync_attempts',
      'hubspot_last_error',
      'hubspot_contact_id',
      'hubspot_deal_id',
      'hubspot_line_item_id',
      'hubspot_synced_at',
      'form_submitted_at',
      'form_submitted_by',
    ]) {
      table.dropColumn(column);
    }
  });
  await knex.schema.alterTable('forms', (table) => {
    table.dropColumn('hubspot_pipeline');
    table.dropColumn('hubspot_deal_stage');
  });
  await knex.schema.dropTableIfExists('hubspot_connections');
}
