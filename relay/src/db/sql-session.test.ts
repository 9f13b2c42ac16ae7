import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createTenant } from '../tenants/create-tenant.js';
import { seedTransactions } from '../testing/merchant-fixtures.js';
import { createTestDatabase } from '../testing/test-database.js';
import type { Database } from './open-database.js';
import { inTenantSqlTransaction } from './sql-session.js';

describe('inTenantSqlTransaction: plain SQL on a pooled connection', function () {
  this.timeout(60_000);
  let database: Database;
  let app: Knex;
  const tenants: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    app = database.app?.knex ?? database.knex;
    for (const name of ['Tenant A', 'Tenant B']) {
      const tenant = await createTenant(database.knex, { name, origins: [] });
      tenants.push(tenant.id);
      await seedTransactions(database.knex, tenant.id, { count: 2 });
    }
  });
  after(async () => database?.close());

  const tenantA = () => ({ tenantId: tenants[0] as string, livemode: false });

  it('runs as the app role, bound to one tenant, so a query without a tenant filter sees only that tenant', async () => {
    const seen = await inTenantSqlTransaction(app, tenantA(), async (sql) => ({
      role: (await sql.rows<{ role: string }>('select current_user as role'))[0]?.role,
      tenants: await sql.rows<{ tenant_id: string }>('select distinct tenant_id from transactions'),
    }));
    assert.equal(seen.role, 'onepagepay_app');
    assert.deepEqual(
      seen.tenants.map((row) => row.tenant_id),
      [tenants[0]],
    );
  });

  it('commits on success and rolls back everything when the work throws', async () => {
    const email = (label: string) => `${label}.${crypto.randomUUID()}@example.com`;
    const insert = `insert into contacts (tenant_id, livemode, email, first_name, last_name) values ($1, false, $2, 'A', 'B')`;
    const kept = email('kept');
    const lost = email('lost');
    await inTenantSqlTransaction(app, tenantA(), (sql) => sql.rows(insert, [tenants[0], kept]));
    await assert.rejects(
      inTenantSqlTransaction(app, tenantA(), async (sql) => {
        await sql.rows(insert, [tenants[0], lost]);
        throw new Error('the work failed after its first statement');
      }),
      /the work failed/,
    );
    const rows = await database.knex('contacts').whereIn('email', [kept, lost]).pluck('email');
    assert.deepEqual(rows, [kept]);
  });

  it('gives its connection back after SQL errors, so the pool never runs dry', async () => {
    // More failures than any pool has connections: a leaked connection would hang this test.
    for (let i = 0; i < 25; i += 1) {
      await assert.rejects(
        inTenantSqlTransaction(app, tenantA(), (sql) => sql.rows('select * from no_such_table')),
        /no_such_table/,
      );
    }
    const [row] = await inTenantSqlTransaction(app, tenantA(), (sql) =>
      sql.rows<{ ok: number }>('select 1 as ok'),
    );
    assert.equal(row?.ok, 1);
  });

  it('refuses to write a row for another tenant', async () => {
    await assert.rejects(
      inTenantSqlTransaction(app, tenantA(), (sql) =>
        sql.rows(
          `insert into contacts (tenant_id, livemode, email, first_name, last_name) values ($1, false, $2, 'A', 'B')`,
          [tenants[1], `cross.${crypto.randomUUID()}@example.com`],
        ),
      ),
      /row-level security/,
    );
  });
});
