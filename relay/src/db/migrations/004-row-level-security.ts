import type { Knex } from 'knex';
import { APP_ROLE, ensureAppRole, secureTenantTables, tenantOwnedTables } from '../row-security.js';

/**
 * Row-level security, the second wall behind the application's own tenant filters. Every table
 * with a tenant_id gets a forced policy; the app role sees only the rows of the tenant its
 * transaction names. The owner (migrations, the operator CLI and the narrow lookups below) keeps an
 * explicit policy of its own, because FORCE would otherwise hide every row from it too.
 *
 * The lookups are SECURITY DEFINER functions that map one secret's hash to its tenant, the only
 * questions the app must ask before it knows which tenant a request belongs to.
 */
export async function up(knex: Knex): Promise<void> {
  await ensureAppRole(knex);
  // Lets the owner switch to the app role per transaction (SET LOCAL ROLE) where one login serves
  // both; a superuser needs no grant, and an owner without the right keeps its own login apart.
  await knex.raw(`do $$ begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        begin
          execute format('grant ${APP_ROLE} to %I', current_user);
        exception when others then raise notice 'could not grant ${APP_ROLE} to %', current_user;
        end;
      end if;
    end $$`);
  await secureTenantTables(knex);

  await knex.raw(`create function onepagepay_login_candidate(p_email text)
    returns table (tenant_id uuid, user_id uuid)
    language sql stable security definer set search_path = public, pg_temp as $$
      select u.tenant_id, u.id from merchant_users u where lower(u.email) = lower(p_email)
    $$`);
  await knex.raw(`create function onepagepay_session_tenant(p_token_hash text)
    returns uuid
    language sql stable security definer set search_path = public, pg_temp as $$
      select s.tenant_id from merchant_sessions s where s.token_hash = p_token_hash and s.revoked_at is null
    $$`);
  await knex.raw(`create function onepagepay_api_key_tenant(p_key_hash text)
    returns table (tenant_id uuid, livemode boolean)
    language sql stable security definer set search_path = public, pg_temp as $$
      select k.tenant_id, k.livemode from merchant_api_keys k
       where k.key_hash = p_key_hash and k.revoked_at is null
    $$`);
  // The HubSpot worker picks due work across tenants, then claims each job in its tenant's transaction.
  await knex.raw(`create function onepagepay_due_outbox_jobs(p_topic text, p_limit integer)
    returns table (tenant_id uuid, livemode boolean, id bigint)
    language sql stable security definer set search_path = public, pg_temp as $$
      select o.tenant_id, o.livemode, o.id from outbox o
       where o.status = 'pending' and o.topic = p_topic and o.run_after <= now()
         and (o.locked_until is null or o.locked_until < now())
       order by o.run_after limit least(greatest(p_limit, 1), 1000)
    $$`);
  for (const fn of [
    'onepagepay_login_candidate(text)',
    'onepagepay_session_tenant(text)',
    'onepagepay_api_key_tenant(text)',
    'onepagepay_due_outbox_jobs(text, integer)',
  ]) {
    await knex.raw(`revoke all on function ${fn} from public`);
    await knex.raw(`grant execute on function ${fn} to ${APP_ROLE}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const fn of [
    'onepagepay_login_candidate(text)',
    'onepagepay_session_tenant(text)',
    'onepagepay_api_key_tenant(text)',
    'onepagepay_due_outbox_jobs(text, integer)',
  ]) {
    await knex.raw(`drop function if exists ${fn}`);
  }
  for (const { table } of await tenantOwnedTables(knex)) {
    await knex.raw('drop policy if exists owner_maintenance on ??', [table]);
    await knex.raw('drop policy if exists tenant_isolation on ??', [table]);
    await knex.raw('alter table ?? no force row level security', [table]);
    await knex.raw('alter table ?? disable row level security', [table]);
    await knex.raw(`revoke all on ?? from ${APP_ROLE}`, [table]);
  }
  // The role is cluster-wide and may serve other databases: it is never dropped.
}
