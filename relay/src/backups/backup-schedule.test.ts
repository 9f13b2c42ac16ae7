import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import type { Database } from '../db/open-database.js';
import { createLogger } from '../logger.js';
import { createTestDatabase } from '../testing/test-database.js';
import { listBackups, pruneBackups } from './backup-files.js';
import { BackupSchedule } from './backup-schedule.js';

const DAY = 86_400_000;

describe('daily backups kept 7 days', function () {
  this.timeout(120_000);
  let database: Database;
  let dir: string;
  let now: number;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-schedule-'));
    now = Date.parse('2026-03-01T02:00:00Z');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  function schedule(env: Record<string, string> = {}) {
    const config = loadConfig({ BACKUP_DIR: dir, ...env });
    return new BackupSchedule({
      database,
      settings: {
        backups: { ...config.backups, dir },
        encryptionKeys: config.encryptionKeys,
        ownerUrl: database.connectionString,
      },
      clock: { now: () => now, sleep: async () => undefined },
      logger: createLogger({ level: 'silent' }),
    });
  }

  it('takes one backup a day, never two, and prunes a backup once it is more than 7 days old', async () => {
    const daily = schedule();
    const taken: string[] = [];
    const pruned: Array<[string, string]> = [];
    const start = Date.parse('2026-03-01T02:00:00Z');
    for (let day = 0; day <= 8; day += 1) {
      now = start + day * DAY;
      const due = await daily.runDue();
      assert.ok(due.taken, `day ${day}: a backup is due`);
      taken.push(due.taken.name);
      for (const file of due.pruned) pruned.push([file.name, new Date(now).toISOString()]);
      if (day === 8) break;
      now += 23 * 3_600_000;
      const nextMorning = await daily.runDue();
      assert.equal(nextMorning.taken, undefined, `day ${day}: one backup a day`);
      for (const file of nextMorning.pruned) pruned.push([file.name, new Date(now).toISOString()]);
    }
    // Day 0's backup is 7 days old at day 7, 02:00 (kept) and pruned at the next check, on day 8.
    assert.deepEqual(pruned, [[taken[0], '2026-03-09T01:00:00.000Z']]);
    const kept = (await listBackups(dir)).map((file) => file.name);
    assert.deepEqual(kept, taken.slice(1));
    assert.equal(kept.length, 8);
    assert.match(kept[0] ?? '', /^onepagepay-(pglite|postgres)-20260302T020000Z\.dump$/);
  });

  it('keeps the newest backup however old it is, and leaves other files alone', async () => {
    const daily = schedule();
    const first = await daily.runDue();
    await fs.writeFile(path.join(dir, 'notes.txt'), 'operator notes');
    now += 30 * DAY;
    // A relay that was down for a month: its last backup stays until a newer one is whole.
    assert.deepEqual(await pruneBackups(dir, new Date(now), 7), []);
    const { taken, pruned } = await daily.runDue();
    assert.deepEqual(
      pruned.map((file) => file.name),
      [first.taken?.name],
    );
    assert.deepEqual((await fs.readdir(dir)).sort(), [taken?.name, 'notes.txt'].sort());
  });

  it('takes one backup between relays that share the database and the directory', async function () {
    if (database.kind !== 'postgres') this.skip(); // PGlite is one process by its lock file
    const results = await Promise.all([schedule().runDue(), schedule().runDue(), schedule().runDue()]);
    assert.equal(results.filter((result) => result.taken).length, 1);
    assert.equal((await listBackups(dir)).length, 1);
  });

  it('encrypts scheduled backups when BACKUP_ENCRYPT is on', async () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const daily = schedule({ BACKUP_ENCRYPT: 'true', ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${key}` });
    const { taken } = await daily.runDue();
    assert.equal(taken?.encrypted, true);
    assert.match(taken?.name ?? '', /\.dump\.enc$/);
    assert.equal((await fs.readFile(taken?.path ?? '')).subarray(0, 8).toString(), 'OPPBAK1\n');
  });

  it('refuses BACKUP_ENCRYPT without a key, naming the variable', () => {
    assert.throws(
      () => loadConfig({ BACKUP_ENCRYPT: 'true' }),
      /BACKUP_ENCRYPT=true needs ONEPAGEPAY_ENCRYPTION_KEYS/,
    );
  });
});
