import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * API key authentication in one statement: the key hash in, its tenant, mode, id and scopes out,
 * with last_used_at refreshed at most once a minute. It runs before the tenant is known, so it is a
 * SECURITY DEFINER function, as narrow as the lookups of 004: only the holder of the key's secret
 * can ask about that key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create function onepagepay_authenticate_api_key(p_key_hash text)
    returns table (tenant_id uuid, livemode boolean, key_id uuid, scopes text[])
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
    begin
      update merchant_api_keys k set last_used_at = now()
       where k.key_hash = p_key_hash and k.revoked_at is null
         and (k.last_used_at is null or k.last_used_at < now() - interval '60 seconds');
      return query
        select k.tenant_id, k.livemode, k.id, k.scopes from merchant_api_keys k
         where k.key_hash = p_key_hash and k.revoked_at is null;
    end $$`);
  await knex.raw('revoke all on function onepagepay_authenticate_api_key(text) from public');
  await knex.raw(`grant execute on function onepagepay_authenticate_api_key(text) to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists onepagepay_authenticate_api_key(text)');
}
