import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Self-service setup from the dashboard. Forms gain `enabled` (a disabled form answers 404 to
 * payers, like an unknown one). Allowed origins live on `tenants`, which the app role may only read
 * (migration 010), so an owner changes them through a definer function that takes the tenant from
 * the transaction's own `app.tenant_id`, never from an argument: an injection in the app can at
 * worst rewrite its own tenant's list, and only with well-formed origins. The Stripe account and
 * name stay operator-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('forms', (table) => {
    table.boolean('enabled').notNullable().defaultTo(true);
  });
  await knex.raw(`create function onepagepay_set_allowed_origins(p_origins text[])
    returns text[]
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        bound uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
        cleaned text[];
      begin
        if bound is null then
          raise exception 'no tenant is bound to this transaction' using errcode = '42501';
        end if;
        if p_origins is null or coalesce(array_length(p_origins, 1), 0) > 20 then
          raise exception 'give at most 20 origins' using errcode = '22023';
        end if;
        if exists (select 1 from unnest(p_origins) o
                    where o is null or length(o) > 200
                       or o !~ '^(https://[a-z0-9.-]+|http://(localhost|127\\.0\\.0\\.1|\\[::1\\]))(:[0-9]{1,5}){0,1}$') then
          raise exception 'every origin must be https://host[:port] (http for localhost only)' using errcode = '22023';
        end if;
        select coalesce(array_agg(distinct o order by o), '{}') into cleaned from unnest(p_origins) o;
        update tenants set allowed_origins = cleaned, updated_at = now() where id = bound;
        return cleaned;
      end
    $$`);
  await knex.raw('revoke all on function onepagepay_set_allowed_origins(text[]) from public');
  await knex.raw(`grant execute on function onepagepay_set_allowed_origins(text[]) to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists onepagepay_set_allowed_origins(text[])');
  await knex.schema.alterTable('forms', (table) => {
    table.dropColumn('enabled');
  });
}
