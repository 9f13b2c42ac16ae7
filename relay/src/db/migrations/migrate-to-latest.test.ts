import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { ownerConnectionOf } from '../owner-connection.js';
import { useTestDatabase } from '../../testing/test-database.js';
import { migrateToLatest, migrationsAreCurrent } from './index.js';

/** The SQL a knex instance sends while `work` runs. */
async function statementsDuring(knex: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const record = (query: { sql: string }) => sent.push(query.sql);
  knex.on('query', record);
  try {
    await work();
  } finally {
    knex.off('query', record);
  }
  return sent;
}

describe('migrateToLatest on a database that is already current (PGlite, or PostgreSQL with TEST_DATABASE_URL)', function () {
  this.timeout(60_000);
  const handle = useTestDatabase();

  it('applies nothing, takes no migration lock and reads no information_schema view', async () => {
    const owner = ownerConnectionOf(handle.database.knex);
    let applied: string[] = [];
    const sent = await statementsDuring(owner, async () => {
      applied = await migrateToLatest(handle.database.knex);
    });
    assert.deepEqual(applied, []);
    assert.ok(sent.length <= 4, `expected a few statements, got ${sent.length}:\n${sent.join('\n')}`);
    assert.equal(sent.filter((sql) => /knex_migrations_lock|information_schema/i.test(sql)).length, 0);
    assert.equal(await migrationsAreCurrent(handle.database.knex), true);
  });

  it("still refuses a database that a newer relay migrated, as knex's migrator did", async () => {
    const owner = ownerConnectionOf(handle.database.knex);
    await owner('knex_migrations').insert({
      name: '999-from-a-newer-relay',
      batch: 99,
      migration_time: new Date(),
    });
    await assert.rejects(migrateToLatest(handle.database.knex), /999-from-a-newer-relay/);
  });

  it('applies a pending migration through the migrator', async () => {
    const owner = ownerConnectionOf(handle.database.knex);
    // The database as a relay one migration older left it: the newest migration undone.
    const newest = (await owner('knex_migrations').orderBy('id', 'desc').first('name')) as { name: string };
    const migration = (await import(`./${newest.name}.js`)) as { down(knex: Knex): Promise<void> };
    await migration.down(owner);
    await owner('knex_migrations').where({ name: newest.name }).delete();
    assert.equal(await migrationsAreCurrent(handle.database.knex), false);

    assert.deepEqual(await migrateToLatest(handle.database.knex), [newest.name]);
    assert.equal(await migrationsAreCurrent(handle.database.knex), true);
  });
});
