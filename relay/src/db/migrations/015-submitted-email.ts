import type { Knex } from 'knex';

/**
 * The email HubSpot received with the form submission that carries a transaction. It can differ from
 * the contact's email the payment was made for (the payer edited the field after paying and before
 * HubSpot took the form), and the merchant needs to see both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transactions', (table) => {
    table.text('submitted_email').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transactions', (table) => {
    table.dropColumn('submitted_email');
  });
}
