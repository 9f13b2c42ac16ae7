import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from '../db/data-dir-lock.js';
import { demoSandboxStateFile, resetDemoData } from './demo-data.js';

describe('npm run demo:reset', () => {
  let root: string;
  let dataDir: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-reset-'));
    dataDir = path.join(root, 'pglite');
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, 'PG_VERSION'), '18');
    await fs.writeFile(demoSandboxStateFile(dataDir), '{}');
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('forgets the database and the Stripe sandbox together', async () => {
    assert.deepEqual(await resetDemoData(dataDir), [dataDir, demoSandboxStateFile(dataDir)]);
    assert.deepEqual(await fs.readdir(root), []);
    assert.deepEqual(await resetDemoData(dataDir), [], 'nothing left the second time');
  });

  it('refuses while a relay holds the data directory, and deletes nothing', async () => {
    // The lock the relay takes on its PGlite directory (open-database.ts).
    const release = await lockDataDir(dataDir);
    try {
      await assert.rejects(resetDemoData(dataDir), /stop `npm start` first/);
      assert.ok(await fs.stat(demoSandboxStateFile(dataDir)));
      assert.ok(await fs.stat(path.join(dataDir, 'PG_VERSION')));
    } finally {
      await release();
    }
  });
});
