import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { Database } from '../../db/open-database.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { runCliCaptured } from '../../testing/run-cli.js';

describe('onepagepay-relay backup, backups and restore', function () {
  this.timeout(120_000);
  let work: string;
  let source: NodeJS.ProcessEnv;
  let target: NodeJS.ProcessEnv;
  let postgres: Database | undefined;
  let restoredName: string | undefined;

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-backup-cli-'));
    const key = Buffer.alloc(32, 9).toString('base64');
    const common = { BACKUP_DIR: path.join(work, 'backups'), ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${key}` };
    source = { ...common, ONEPAGEPAY_DATA_DIR: path.join(work, 'source') };
    target = { ...common, ONEPAGEPAY_DATA_DIR: path.join(work, 'target') };
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      postgres = await createTestDatabase();
      source.DATABASE_URL = postgres.connectionString;
      restoredName = `onepagepay_cli_restore_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
      const admin = knexFactory({ client: 'pg', connection: adminUrl });
      await admin.raw(`create database "${restoredName}"`);
      await admin.destroy();
      const url = new URL(adminUrl);
      url.pathname = `/${restoredName}`;
      target.DATABASE_URL = url.toString();
    }
  });
  after(async () => {
    await postgres?.close();
    if (restoredName && process.env.TEST_DATABASE_URL) {
      const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL });
      await admin.raw(`drop database if exists "${restoredName}" with (force)`);
      await admin.destroy();
    }
    await fs.rm(work, { recursive: true, force: true });
  });

  it('backs up, lists, refuses an unconfirmed restore, then restores with --yes', async () => {
    const tenant = await runCliCaptured(source, [
      'tenant',
      'create',
      '--name',
      'Acme',
      '--origin',
      'https://acme.example',
    ]);
    assert.equal(tenant.code, 0, tenant.err.join('\n'));

    const backup = await runCliCaptured(source, ['backup', '--encrypt']);
    assert.equal(backup.code, 0, backup.err.join('\n'));
    const file = backup.out[0] ?? '';
    assert.match(path.basename(file), /^onepagepay-(pglite|postgres)-\d{8}T\d{6}Z\.dump\.enc$/);

    const listed = await runCliCaptured(source, ['backups', '--json']);
    assert.deepEqual(
      (JSON.parse(listed.out[0] ?? '[]') as Array<{ path: string; encrypted: boolean }>).map((entry) => [
        entry.path,
        entry.encrypted,
      ]),
      [[file, true]],
    );

    const unconfirmed = await runCliCaptured(target, ['restore', file]);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.err.join('\n'), /pass --yes/);

    const restored = await runCliCaptured(target, ['restore', file, '--yes']);
    assert.equal(restored.code, 0, restored.err.join('\n'));
    const tenants = await runCliCaptured(target, ['tenant', 'list']);
    assert.match(tenants.out.join('\n'), new RegExp(tenant.out[0] ?? 'missing'));

    const again = await runCliCaptured(target, ['restore', file, '--yes']);
    assert.equal(again.code, 1);
    assert.match(again.err.join('\n'), /already has tables|is not empty/);
  });

  it('says what is wrong with a file that is not a backup', async () => {
    const bogus = path.join(work, 'bogus.dump');
    await fs.writeFile(bogus, 'hello');
    const fresh = { ...target, ONEPAGEPAY_DATA_DIR: path.join(work, 'fresh') };
    const result = await runCliCaptured(fresh, ['restore', bogus, '--yes']);
    assert.equal(result.code, 1);
    assert.match(result.err.join('\n'), /not a OnePagePay backup/);
  });
});
