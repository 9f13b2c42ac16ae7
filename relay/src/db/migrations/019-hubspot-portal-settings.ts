import type { Knex } from 'knex';

/**
 * What the relay reads from a connected portal before it relies on it: the account's time zone (the
 * DAILY limit resets at its midnight), its enabled currencies and its deal pipelines and stages
 * (values must be their internal ids), and for each form the fields HubSpot's form definition has
 * (a submission naming others is refused). A connection whose app was uninstalled is `disconnected`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hubspot_connections', (table) => {
    table.jsonb('portal_settings').nullable();
    table.timestamp('portal_settings_read_at', { useTz: true }).nullable();
  });
  await knex.raw('alter table hubspot_connections drop constraint hubspot_connections_status_check');
  await knex.raw(`alter table hubspot_connections add constraint hubspot_connections_status_check
    check (status in ('connected', 'broken', 'disconnected'))`);
  await knex.schema.alterTable('forms', (table) => {
    table.jsonb('hubspot_form_check').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('forms', (table) => {
    table.dropColumn('hubspot_form_check');
  });
  await knex.raw('alter table hubspot_connections drop constraint hubspot_connections_status_check');
  await knex.raw(`update hubspot_connections set status = 'broken' where status = 'disconnected'`);
  await knex.raw(`alter table hubspot_connections add constraint hubspot_connections_status_check
    check (status in ('connected', 'broken'))`);
  await knex.schema.alterTable('hubspot_connections', (table) => {
    table.dropColumn('portal_settings_read_at');
    table.dropColumn('portal_settings');
  });
}
