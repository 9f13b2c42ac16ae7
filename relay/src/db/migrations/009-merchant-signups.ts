import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Signups waiting for their email to be verified. A row exists before its tenant does, so it has
 * no tenant_id (like the throttle counters): the app role inserts one at signup and takes it once,
 * by the SHA-256 of the token mailed to the address, to create the tenant. Password hashes only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchant_signups', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.string('token_hash', 64).notNullable().unique();
    table.string('email', 254).notNullable();
    table.text('password_hash').notNullable();
    table.string('business_name', 200).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['expires_at']);
  });
  await knex.raw(`grant select, insert, delete on merchant_signups to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('merchant_signups');
}
