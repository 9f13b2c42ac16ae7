import assert from 'node:assert/strict';
import { migrateToLatest } from './migrations/index.js';
import { tenantTablesNeedSecuring } from './row-security.js';
import { useTestDatabase } from '../testing/test-database.js';

/** The start-up check that lets a migration run repair a tenant table left without its wall. */
describe('tenantTablesNeedSecuring (PGlite, or PostgreSQL with TEST_DATABASE_URL)', function () {
  this.timeout(60_000);
  const handle = useTestDatabase();

  const policyOf = async (table: string) =>
    (
      await handle.database.knex.raw<{ rows: Array<{ forced: boolean; policies: number }> }>(
        `select relforcerowsecurity as forced,
                (select count(*)::int from pg_policy where polrelid = c.oid and polname = 'tenant_isolation') as policies
           from pg_class c where relname = ?`,
        [table],
      )
    ).rows[0];

  it('is false on a migrated database', async () => {
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), false);
  });

  it('finds a tenant table whose row-level security is no longer forced, and migrating repairs it', async () => {
    await handle.database.knex.raw('alter table contacts no force row level security');
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), true);
    await migrateToLatest(handle.database.knex);
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), false);
    assert.deepEqual(await policyOf('contacts'), { forced: true, policies: 1 });
  });

  it('finds a tenant table without the isolation policy, and one added later with no wall at all', async () => {
    await handle.database.knex.raw('drop policy tenant_isolation on transactions');
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), true);
    await migrateToLatest(handle.database.knex);
    assert.deepEqual(await policyOf('transactions'), { forced: true, policies: 1 });

    await handle.database.knex.raw(
      'create table later_notes (id serial primary key, tenant_id uuid not null)',
    );
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), true);
    await migrateToLatest(handle.database.knex);
    assert.deepEqual(await policyOf('later_notes'), { forced: true, policies: 1 });
  });

  it('ignores tables without tenant_id, and a dropped tenant_id column', async () => {
    await handle.database.knex.raw('create table shared_settings (id serial primary key, name text)');
    await handle.database.knex.raw('create table old_notes (id serial primary key, tenant_id uuid)');
    await handle.database.knex.raw('alter table old_notes drop column tenant_id');
    assert.equal(await tenantTablesNeedSecuring(handle.database.knex), false);
  });
});
