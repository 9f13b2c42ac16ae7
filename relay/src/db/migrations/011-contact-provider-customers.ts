import type { Knex } from 'knex';

/**
 * A payer's customer id at each Stripe account the tenant has charged on. Customer ids belong to one
 * account: a tenant that connects another account (or goes back to the platform's own) must never
 * send one account's id to another, and switching back should find the customer made there before.
 * `account` is the connected account id, or null for the platform's own account; the unique key
 * treats two nulls as equal (PostgreSQL 15+), so the platform has one row per contact too.
 *
 * contacts.stripe_customer_id stays as the id used last, for readers of that column; the payment path
 * reads this table. Existing ids are copied in under the account their tenant charges on now, which
 * is the account they were made on unless the tenant already switched (then the first payment on
 * the old id finds it missing there and makes a new customer: the stale-customer path).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table contact_provider_customers (
    tenant_id uuid not null references tenants (id) on delete cascade,
    livemode boolean not null,
    contact_id uuid not null,
    provider text not null check (provider in ('stripe')),
    account text,
    customer_id text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade,
    constraint contact_provider_customers_key
      unique nulls not distinct (tenant_id, livemode, contact_id, provider, account)
  )`);
  await knex.raw(`insert into contact_provider_customers
      (tenant_id, livemode, contact_id, provider, account, customer_id, created_at, updated_at)
    select c.tenant_id, c.livemode, c.id, 'stripe', t.stripe_account_id, c.stripe_customer_id,
           c.created_at, c.updated_at
      from contacts c join tenants t on t.id = c.tenant_id
     where c.stripe_customer_id is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('contact_provider_customers');
}
