import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { APP_ROLE } from '../../relay/src/db/row-security.js';
import { inTenantTransaction } from '../../relay/src/db/tenant-scope.js';
import type { Database } from '../../relay/src/db/open-database.js';
import { createTenant } from '../../relay/src/tenants/create-tenant.js';
import { createTestDatabase } from '../../relay/src/testing/test-database.js';

/**
 * `tenants` decides where money goes (Stripe account) and which pages may pay (origins): the app
 * role reads it and never writes it, so an injection in any query cannot repoint a tenant.
 */
describe('the tenants table is read-only to the app role', function () {
  this.timeout(60_000);
  let database: Database;
  let app: Knex;
  let a: string;
  let b: string;

  before(async () => {
    database = await createTestDatabase();
    app = database.app?.knex ?? database.knex;
    a = (await createTenant(database.knex, { name: 'Tenant A', origins: ['https://a.example'] })).id;
    b = (await createTenant(database.knex, { name: 'Tenant B', origins: ['https://b.example'] })).id;
  });
  after(async () => database?.close());

  const asTenantA = <T>(work: (trx: Knex.Transaction) => PromiseLike<T>) =>
    inTenantTransaction(app, { tenantId: a, livemode: false }, work);

  it("refuses an update of another tenant's row and of its own", async () => {
    for (const target of [b, a]) {
      await assert.rejects(
        asTenantA((trx) =>
          trx('tenants')
            .where({ id: target })
            .update({ allowed_origins: ['https://evil.example'], stripe_account_id: 'acct_evil' }),
        ),
        /permission denied for table tenants/,
        target === a ? 'own row' : 'other row',
      );
    }
    const rows = await database.knex('tenants').whereIn('id', [a, b]).orderBy('name');
    assert.deepEqual(
      rows.map((row) => [row.allowed_origins, row.stripe_account_id]),
      [
        [['https://a.example'], null],
        [['https://b.example'], null],
      ],
    );
  });

  it('refuses inserts and deletes, and still reads every tenant', async () => {
    await assert.rejects(
      asTenantA((trx) => trx('tenants').insert({ name: 'Forged', stripe_account_id: 'acct_evil' })),
      /permission denied for table tenants/,
    );
    await assert.rejects(
      asTenantA((trx) => trx('tenants').where({ id: b }).delete()),
      /permission denied for table tenants/,
    );
    const seen = await asTenantA((trx) => trx('tenants').whereIn('id', [a, b]).pluck('id'));
    assert.equal(seen.length, 2, 'public routes read a tenant before one is bound');
  });

  it('refuses writes on the app login outside any tenant transaction (PostgreSQL)', async function () {
    // PGlite has one superuser session: the relay becomes the app role only inside tenant transactions.
    if (database.kind !== 'postgres') this.skip();
    const role = await app.raw('select current_user as role');
    assert.equal(role.rows[0].role, APP_ROLE);
    await assert.rejects(
      app('tenants').where({ id: b }).update({ name: 'Renamed' }),
      /permission denied for table tenants/,
    );
  });

  it("creates signup's tenant through the definer function, with a name and nothing else", async () => {
    const id = await asTenantA(async (trx) => {
      const result = await trx.raw('select onepagepay_create_tenant(?) as id', ['  New Shop  ']);
      return result.rows[0].id as string;
    });
    const row = await database.knex('tenants').where({ id }).first();
    assert.deepEqual([row.name, row.allowed_origins, row.stripe_account_id], ['New Shop', [], null]);
    await assert.rejects(
      asTenantA((trx) => trx.raw('select onepagepay_create_tenant(?)', [' '])),
      /a tenant needs a name/,
    );
  });
});
