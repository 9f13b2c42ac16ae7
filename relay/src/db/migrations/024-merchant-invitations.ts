import type { Knex } from 'knex';
import { APP_ROLE, secureTenantTables } from '../row-security.js';

/**
 * Invitations an owner sends from the dashboard: the invitee's email, the role chosen at invite and
 * the SHA-256 of a single-use token mailed to them. Tenant-owned (forced row-level security, like
 * every table with tenant_id); the invitee opens the link before any session names the tenant, so a
 * SECURITY DEFINER lookup maps one token's hash to its tenant, as 004's lookups do for sessions.
 * An invitation is taken once: `accepted_at` is set in the transaction that creates the user.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchant_invitations', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.string('email', 254).notNullable();
    table.text('role').notNullable();
    table.string('token_hash', 64).notNullable().unique();
    table.uuid('invited_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('accepted_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.primary(['tenant_id', 'id']);
    table.index(['tenant_id', 'created_at']);
  });
  await knex.raw(`alter table merchant_invitations add constraint merchant_invitations_role_check
    check (role in ('owner', 'member'))`);
  await secureTenantTables(knex);
  await knex.raw(`create function onepagepay_invitation_tenant(p_token_hash text)
    returns uuid
    language sql stable security definer set search_path = public, pg_temp as $$
      select i.tenant_id from merchant_invitations i
       where i.token_hash = p_token_hash and i.accepted_at is null and i.revoked_at is null
    $$`);
  await knex.raw('revoke all on function onepagepay_invitation_tenant(text) from public');
  await knex.raw(`grant execute on function onepagepay_invitation_tenant(text) to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists onepagepay_invitation_tenant(text)');
  await knex.schema.dropTableIfExists('merchant_invitations');
}
