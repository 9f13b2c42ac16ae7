import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Card-testing defence. `payment_throttle` holds the payment attempt and decline counters in the
 * layout rate-limiter-flexible's PostgreSQL store reads, shared by every relay on the database.
 * Keys are prefixed hashes (of an email, an IP, an attempt id) or a tenant id: nothing a payer
 * typed is stored, and no row belongs to one tenant, so like migration 007's tables it has no
 * tenant_id and no row-level security. `tenants.challenge` is each tenant's CAPTCHA policy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_throttle', (columns) => {
    columns.string('key', 255).primary();
    columns.integer('points').notNullable().defaultTo(0);
    columns.bigInteger('expire').nullable();
  });
  await knex.raw(`grant select, insert, update, delete on payment_throttle to ${APP_ROLE}`);
  await knex.schema.alterTable('tenants', (columns) => {
    columns.string('challenge', 16).notNullable().defaultTo('off');
  });
  await knex.raw(
    `alter table tenants add constraint tenants_challenge_check check (challenge in ('off', 'after_decline', 'always'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (columns) => columns.dropColumn('challenge'));
  await knex.schema.dropTableIfExists('payment_throttle');
}
