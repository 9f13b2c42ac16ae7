import assert from 'node:assert/strict';
import type { Database } from '../open-database.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { createTenant } from '../../tenants/create-tenant.js';
import { migrateToLatest } from './index.js';
import * as migration from './011-contact-provider-customers.js';

describe('migration 011: customer ids per Stripe account', function () {
  this.timeout(60_000);
  let database: Database;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.close());

  it('copies every stored customer id under the account its tenant charges on, and nothing else', async () => {
    const knex = database.knex;
    // Back to the schema before 011, with contacts as an older relay left them.
    await migration.down(knex);
    const platform = await createTenant(knex, { name: 'Platform shop', origins: [] });
    const connected = await createTenant(knex, {
      name: 'Connected shop',
      origins: [],
      stripeAccountId: 'acct_1Connected',
    });
    await knex('contacts').insert([
      {
        tenant_id: platform.id,
        livemode: false,
        email: 'a@example.com',
        first_name: 'A',
        last_name: 'A',
        stripe_customer_id: 'cus_A',
      },
      {
        tenant_id: connected.id,
        livemode: true,
        email: 'b@example.com',
        first_name: 'B',
        last_name: 'B',
        stripe_customer_id: 'cus_B',
      },
      {
        tenant_id: platform.id,
        livemode: false,
        email: 'c@example.com',
        first_name: 'C',
        last_name: 'C',
        stripe_customer_id: null,
      },
    ]);
    await migration.up(knex);
    await migrateToLatest(knex);

    const rows = await knex('contact_provider_customers as pc')
      .join('contacts as c', 'c.id', 'pc.contact_id')
      .orderBy('c.email')
      .select('c.email', 'pc.tenant_id', 'pc.livemode', 'pc.provider', 'pc.account', 'pc.customer_id');
    assert.deepEqual(rows, [
      {
        email: 'a@example.com',
        tenant_id: platform.id,
        livemode: false,
        provider: 'stripe',
        account: null,
        customer_id: 'cus_A',
      },
      {
        email: 'b@example.com',
        tenant_id: connected.id,
        livemode: true,
        provider: 'stripe',
        account: 'acct_1Connected',
        customer_id: 'cus_B',
      },
    ]);
    // The platform's null account is one key like any other: a second platform row is refused.
    const [contactA] = await knex('contacts').where({ email: 'a@example.com' }).pluck('id');
    await assert.rejects(
      knex('contact_provider_customers').insert({
        tenant_id: platform.id,
        livemode: false,
        contact_id: contactA,
        provider: 'stripe',
        account: null,
        customer_id: 'cus_other',
      }),
      /contact_provider_customers_key/,
    );
  });
});
