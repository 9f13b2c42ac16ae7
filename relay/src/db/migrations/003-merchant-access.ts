import type { Knex } from 'knex';

/**
 * Merchant access: users (with TOTP and recovery codes), sessions, API keys, refunds and the audit
 * log. Secrets are stored only as hashes: session tokens and API keys as SHA-256 (they are 256-bit
 * random values, so a slow hash adds nothing), passwords and recovery codes as argon2id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchant_users', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('email').notNullable();
    table.text('password_hash').notNullable();
    table.text('role').notNullable().defaultTo('member');
    table.text('totp_secret').nullable();
    table.text('pending_totp_secret').nullable();
    table.timestamp('totp_enabled_at', { useTz: true }).nullable();
    table.bigInteger('totp_last_step').nullable();
    table.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
  });
  // One login name across the relay: a person signs in without naming a tenant first.
  await knex.raw('create unique index merchant_users_email_idx on merchant_users (lower(email))');
  await knex.raw(`alter table merchant_users add constraint merchant_users_role_check
    check (role in ('owner', 'member'))`);

  await knex.schema.createTable('merchant_recovery_codes', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('user_id').notNullable();
    table.text('code_hash').notNullable();
    table.timestamp('used_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['tenant_id', 'id']);
    table
      .foreign(['tenant_id', 'user_id'])
      .references(['tenant_id', 'id'])
      .inTable('merchant_users')
      .onDelete('cascade');
    table.index(['tenant_id', 'user_id']);
  });

  await knex.schema.createTable('merchant_sessions', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('user_id').notNullable();
    table.text('token_hash').notNullable().unique();
    table.boolean('livemode').notNullable().defaultTo(false);
    table.timestamp('mfa_verified_at', { useTz: true }).nullable();
    table.timestamp('reauthenticated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.text('ip').nullable();
    table.text('user_agent').nullable();
    table.primary(['tenant_id', 'id']);
    table
      .foreign(['tenant_id', 'user_id'])
      .references(['tenant_id', 'id'])
      .inTable('merchant_users')
      .onDelete('cascade');
    table.index(['tenant_id', 'user_id']);
  });

  await knex.schema.createTable('merchant_api_keys', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('prefix').notNullable();
    table.text('key_hash').notNullable().unique();
    table.specificType('scopes', 'text[]').notNullable();
    table.uuid('created_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.primary(['tenant_id', 'id']);
  });

  await knex.schema.createTable('merchant_refunds', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('transaction_id').notNullable();
    table.text('idempotency_key').notNullable();
    table.text('request_fingerprint').notNullable();
    table.integer('amount').notNullable();
    table.specificType('currency', 'char(3)').notNullable();
    table.text('provider_refund_id').nullable();
    table.text('status').notNullable();
    table.text('actor').notNullable();
    table.timestamps(true, true);
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'livemode', 'idempotency_key']);
    table.foreign(['tenant_id', 'transaction_id']).references(['tenant_id', 'id']).inTable('transactions');
  });
  await knex.raw(
    'alter table merchant_refunds add constraint merchant_refunds_amount_check check (amount > 0)',
  );

  await knex.schema.createTable('audit_events', (table) => {
    table.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('cascade');
    table.boolean('livemode').notNullable();
    table.bigIncrements('id', { primaryKey: false });
    table.boolean('account_level').notNullable().defaultTo(false);
    table.text('action').notNullable();
    table.text('outcome').notNullable().defaultTo('success');
    table.text('actor_type').notNullable();
    table.text('actor_id').nullable();
    table.text('ip').nullable();
    table.text('user_agent').nullable();
    table.text('target').nullable();
    table.jsonb('details').notNullable().defaultTo('{}');
    table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['tenant_id', 'id']);
  });
  await knex.raw('create index audit_events_listing_idx on audit_events (tenant_id, id desc)');

  // The HubSpot sync state filter of the merchant API; the HubSpot sync may already have added it.
  await knex.raw('alter table transactions add column if not exists hubspot_sync_state text');
  await knex.raw(`create index transactions_contact_listing_idx
    on transactions (tenant_id, livemode, contact_id, created_at desc, id desc)`);
  await knex.raw(`create index transactions_form_listing_idx
    on transactions (tenant_id, livemode, form_id, created_at desc, id desc)`);
  await knex.raw(
    `create index contacts_listing_idx on contacts (tenant_id, livemode, created_at desc, id desc)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists contacts_listing_idx');
  await knex.raw('drop index if exists transactions_form_listing_idx');
  await knex.raw('drop index if exists transactions_contact_listing_idx');
  for (const table of [
    'audit_events',
    'merchant_refunds',
    'merchant_api_keys',
    'merchant_sessions',
    'merchant_recovery_codes',
    'merchant_users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
