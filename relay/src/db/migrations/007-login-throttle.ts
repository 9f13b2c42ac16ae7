import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * Failed sign-in counters shared by every relay process on one PostgreSQL database, in the layout
 * rate-limiter-flexible's PostgreSQL store reads. Keys are hashes: no email is stored here.
 */
export const LOGIN_THROTTLE_TABLES = ['login_throttle_accounts', 'login_throttle_ips'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of LOGIN_THROTTLE_TABLES) {
    await knex.schema.createTable(table, (columns) => {
      columns.string('key', 255).primary();
      columns.integer('points').notNullable().defaultTo(0);
      columns.bigInteger('expire').nullable();
    });
    await knex.raw(`grant select, insert, update, delete on ?? to ${APP_ROLE}`, [table]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of LOGIN_THROTTLE_TABLES) await knex.schema.dropTableIfExists(table);
}
