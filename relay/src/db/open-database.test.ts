import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './open-database.js';
import { migrateToLatest, migrationsAreCurrent } from './migrations/index.js';

describe('embedded PGlite database', function () {
  this.timeout(60_000);

  it('persists to its data directory and refuses a second process with a clear error', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-pglite-'));
    const first = await openDatabase({ dataDir });
    try {
      await migrateToLatest(first.knex);
      assert.equal(await migrationsAreCurrent(first.knex), true);
      await first.knex('tenants').insert({ name: 'Persisted', allowed_origins: ['https://a.example'] });
      await assert.rejects(
        openDatabase({ dataDir }),
        /Another relay process is using the data directory .*ONEPAGEPAY_DATA_DIR/,
      );
    } finally {
      await first.close();
    }
    const reopened = await openDatabase({ dataDir });
    try {
      const rows = await reopened.knex('tenants').select('name');
      assert.deepEqual(rows, [{ name: 'Persisted' }]);
    } finally {
      await reopened.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
