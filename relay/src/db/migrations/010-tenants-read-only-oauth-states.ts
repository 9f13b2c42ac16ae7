import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * `tenants` holds what routes money and trust: each tenant's allowed origins and Stripe account.
 * The app role reads it (a public request names its tenant before anything is bound) but never
 * writes it, so an injection anywhere cannot repoint another tenant. The one write the app needs,
 * signup's new tenant, goes through a SECURITY DEFINER function that takes only a name: no origins,
 * no Stripe account. Operators change tenants through the owner connection (the CLI).
 *
 * `hubspot_oauth_states` records each HubSpot install state once it is spent, so a callback URL
 * works once (a tenant table: row-level security covers it like every other).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`revoke insert, update, delete, truncate on tenants from ${APP_ROLE}`);
  await knex.raw(`grant select on tenants to ${APP_ROLE}`);
  await knex.raw(`create function onepagepay_create_tenant(p_name text)
    returns uuid
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        created uuid;
      begin
        if p_name is null or length(btrim(p_name)) not between 1 and 200 then
          raise exception 'a tenant needs a name of 1-200 characters' using errcode = '22023';
        end if;
        insert into tenants (name) values (btrim(p_name)) returning id into created;
        return created;
      end
    $$`);
  await knex.raw('revoke all on function onepagepay_create_tenant(text) from public');
  await knex.raw(`grant execute on function onepagepay_create_tenant(text) to ${APP_ROLE}`);
  await knex.schema.createTable('hubspot_oauth_states', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.text('nonce_hash').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'nonce_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('hubspot_oauth_states');
  await knex.raw('drop function if exists onepagepay_create_tenant(text)');
  await knex.raw(`grant select, insert, update on tenants to ${APP_ROLE}`);
}
