import type { Knex } from 'knex';

/**
 * PayPal: a hosted tenant's merchant id (the payee of its orders), and the order a PayPal
 * transaction was created as. The transaction's `provider_payment_id` is the capture id, the
 * payment itself (what refunds and capture webhooks name); the order id links the browser's
 * approval and PayPal's webhooks back to the attempt before the capture exists.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (table) => {
    table.text('paypal_merchant_id').nullable();
  });
  await knex.raw(`alter table tenants add constraint tenants_paypal_merchant_id_check
    check (paypal_merchant_id ~ '^[2-9A-HJ-NP-Z]{13}$')`);
  await knex.schema.alterTable('transactions', (table) => {
    table.text('provider_order_id').nullable();
  });
  await knex.raw(`create unique index transactions_provider_order_idx
    on transactions (tenant_id, provider, provider_order_id) where provider_order_id is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists transactions_provider_order_idx');
  await knex.schema.alterTable('transactions', (table) => table.dropColumn('provider_order_id'));
  await knex.schema.alterTable('tenants', (table) => table.dropColumn('paypal_merchant_id'));
}
