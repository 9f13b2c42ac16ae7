import type { Knex } from 'knex';

/**
 * The core schema. Every tenant-owned table carries tenant_id and livemode, and its primary key
 * starts with tenant_id, so the schema can be distributed by tenant later.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.specificType('allowed_origins', 'text[]').notNullable().defaultTo('{}');
    table.text('stripe_account_id').nullable();
    table.timestamps(true, true);
  });
  await knex.raw('create index tenants_allowed_origins_idx on tenants using gin (allowed_origins)');

  await knex.schema.createTable('forms', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.boolean('livemode').notNullable().defaultTo(false);
    table.text('hubspot_form_guid').notNullable();
    table.text('product_name').notNullable();
    table.integer('amount').nullable();
    table.specificType('currency', 'char(3)').notNullable();
    table.specificType('providers', 'text[]').notNullable().defaultTo('{stripe}');
    table.integer('custom_amount_min').nullable();
    table.integer('custom_amount_max').nullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'hubspot_form_guid']);
  });
  await knex.raw(`alter table forms add constraint forms_price_check check (
    (amount is not null and amount > 0 and custom_amount_min is null and custom_amount_max is null)
    or (amount is null and custom_amount_min > 0 and custom_amount_max >= custom_amount_min))`);
  await knex.raw(`alter table forms add constraint forms_currency_check check (currency ~ '^[A-Z]{3}$')`);

  await knex.schema.createTable('contacts', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('email').notNullable();
    table.text('first_name').notNullable();
    table.text('last_name').notNullable();
    table.text('stripe_customer_id').nullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'livemode', 'email']);
  });

  await knex.schema.createTable('transactions', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('form_id').notNullable();
    table.uuid('contact_id').nullable();
    table.text('attempt_id').notNullable();
    table.text('request_fingerprint').notNullable();
    table.integer('amount').notNullable();
    table.specificType('currency', 'char(3)').notNullable();
    table.text('product_name').notNullable();
    table.text('provider').notNullable();
    table.text('provider_payment_id').nullable();
    table.text('status').notNullable();
    table.text('failure_code').nullable();
    table.text('decline_code').nullable();
    table.text('failure_message').nullable();
    table.integer('amount_refunded').notNullable().defaultTo(0);
    table.timestamp('claimed_until', { useTz: true }).nullable();
    table.text('hutk').nullable();
    table.text('page_uri').nullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'attempt_id']);
    table.foreign(['tenant_id', 'form_id']).references(['tenant_id', 'id']).inTable('forms');
    table.foreign(['tenant_id', 'contact_id']).references(['tenant_id', 'id']).inTable('contacts');
  });
  await knex.raw(`alter table transactions add constraint transactions_status_check check (status in
    ('processing','requires_action','succeeded','failed','refunded','partially_refunded','disputed'))`);
  await knex.raw('alter table transactions add constraint transactions_amount_check check (amount > 0)');
  await knex.raw(`create unique index transactions_provider_payment_idx
    on transactions (tenant_id, provider, provider_payment_id) where provider_payment_id is not null`);
  await knex.raw(`create index transactions_listing_idx
    on transactions (tenant_id, livemode, created_at desc, id desc)`);

  await knex.schema.createTable('processed_webhook_events', (table) => {
    table.text('provider').notNullable();
    table.text('event_id').notNullable();
    table.text('event_type').notNullable();
    table.uuid('tenant_id').nullable();
    table.boolean('livemode').notNullable();
    table.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['provider', 'event_id']);
  });

  await knex.schema.createTable('outbox', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.bigIncrements('id', { primaryKey: false });
    table.text('topic').notNullable();
    table.text('dedupe_key').notNullable();
    table.uuid('transaction_id').nullable();
    table.jsonb('payload').notNullable().defaultTo('{}');
    table.text('status').notNullable().defaultTo('pending');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('run_after', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('locked_until', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'dedupe_key']);
  });
  await knex.raw(`create index outbox_due_idx on outbox (run_after) where status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'outbox',
    'processed_webhook_events',
    'transactions',
    'contacts',
    'forms',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
