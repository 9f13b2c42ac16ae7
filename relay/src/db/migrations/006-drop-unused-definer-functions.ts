import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Two SECURITY DEFINER functions from 004 lost their callers (API keys authenticate through 005's
 * function, the HubSpot worker claims through 002's). A function that reads across tenants is a hole
 * in row-level security whether or not the app calls it, so it goes.
 */
const UNUSED = ['onepagepay_api_key_tenant(text)', 'onepagepay_due_outbox_jobs(text, integer)'];

export async function up(knex: Knex): Promise<void> {
  for (const fn of UNUSED) await knex.raw(`drop function if exists ${fn}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create function onepagepay_api_key_tenant(p_key_hash text)
    returns table (tenant_id uuid, livemode boolean)
    language sql stable security definer set search_path = public, pg_temp as $$
      select k.tenant_id, k.livemode from merchant_api_keys k
       where k.key_hash = p_key_hash and k.revoked_at is null
    $$`);
  await knex.raw(`create function onepagepay_due_outbox_jobs(p_topic text, p_limit integer)
    returns table (tenant_id uuid, livemode boolean, id bigint)
    language sql stable security definer set search_path = public, pg_temp as $$
      select o.tenant_id, o.livemode, o.id from outbox o
       where o.status = 'pending' and o.topic = p_topic and o.run_after <= now()
         and (o.locked_until is null or o.locked_until < now())
       order by o.run_after limit least(greatest(p_limit, 1), 1000)
    $$`);
  for (const fn of UNUSED) {
    await knex.raw(`revoke all on function ${fn} from public`);
    await knex.raw(`grant execute on function ${fn} to ${APP_ROLE}`);
  }
}
