import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * /metrics reports the HubSpot outbox across tenants, which row-level security hides from the app
 * role. This definer function returns only counts and an age per mode, nothing of any tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create function onepagepay_outbox_stats()
    returns table (livemode boolean, pending bigint, dead bigint, oldest_pending_seconds double precision)
    language sql stable security definer set search_path = public, pg_temp as $$
      select o.livemode,
             count(*) filter (where o.status = 'pending'),
             count(*) filter (where o.status = 'dead'),
             coalesce(extract(epoch from now() - min(o.created_at) filter (where o.status = 'pending')), 0)::double precision
        from outbox o
       where o.status in ('pending', 'dead')
       group by o.livemode
    $$`);
  await knex.raw('revoke all on function onepagepay_outbox_stats() from public');
  await knex.raw(`grant execute on function onepagepay_outbox_stats() to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists onepagepay_outbox_stats()');
}
