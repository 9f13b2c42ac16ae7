import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Connected Stripe accounts that disconnected the platform (`account.application.deauthorized`).
 * Stripe refuses every request made on such an account, so the relay refuses card payments for the
 * tenants charging on it before it claims an attempt, and the operator reconnects with
 * `tenant set-stripe-account`, which deletes the row. Keyed by the account, not by tenant: a
 * platform fact like the throttle of migration 018, with no tenant_id and no row-level security.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stripe_deauthorized_accounts', (columns) => {
    columns.string('account_id', 255).primary();
    columns.string('event_id', 255).notNullable();
    columns.timestamp('deauthorized_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`grant select, insert, update on stripe_deauthorized_accounts to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stripe_deauthorized_accounts');
}
