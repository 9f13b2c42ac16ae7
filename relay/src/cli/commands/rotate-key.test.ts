import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backupKeyId, decryptBackup } from '../../backups/backup-cipher.js';
import { openDatabase } from '../../db/open-database.js';
import { saveConnection } from '../../hubspot/connection-store.js';
import { TokenCipher } from '../../hubspot/token-cipher.js';
import { runCliCaptured } from '../../testing/run-cli.js';

const K1 = { id: 'k1', key: Buffer.alloc(32, 1) };
const K2 = { id: 'k2', key: Buffer.alloc(32, 2) };
const ring = (...keys: Array<typeof K1>) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

describe('onepagepay-relay rotate-key', function () {
  this.timeout(120_000);
  let work: string;
  let env: NodeJS.ProcessEnv;
  let backupFile: string;
  let originalDump: Buffer;

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-rotate-cli-'));
    env = {
      ONEPAGEPAY_DATA_DIR: path.join(work, 'data'),
      BACKUP_DIR: path.join(work, 'backups'),
      ONEPAGEPAY_ENCRYPTION_KEYS: ring(K1),
    };
    const tenant = await runCliCaptured(env, [
      'tenant',
      'create',
      '--name',
      'Acme',
      '--origin',
      'https://acme.example',
    ]);
    assert.equal(tenant.code, 0, tenant.err.join('\n'));
    const database = await openDatabase({ dataDir: env.ONEPAGEPAY_DATA_DIR as string, as: 'owner' });
    try {
      const { id } = await database.knex('tenants').first('id');
      await saveConnection(
        database.knex,
        new TokenCipher([K1]),
        { tenantId: id, livemode: false },
        {
          portalId: 7,
          authKind: 'private_app',
          accessToken: 'pat-na1-rotate',
        },
      );
    } finally {
      await database.close();
    }
    const backup = await runCliCaptured(env, ['backup', '--encrypt']);
    assert.equal(backup.code, 0, backup.err.join('\n'));
    backupFile = backup.out[0] as string;
    await decryptBackup(backupFile, path.join(work, 'original.dump'), [K1]);
    originalDump = await fs.readFile(path.join(work, 'original.dump'));
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  const rotate = (keys: string | undefined, ...argv: string[]) =>
    runCliCaptured({ ...env, ONEPAGEPAY_ENCRYPTION_KEYS: keys }, ['rotate-key', ...argv]);

  it('counts in a dry run, re-seals tokens and backups under the new key, and says when the old key can go', async () => {
    const dry = await rotate(ring(K2, K1), '--dry-run');
    assert.equal(dry.code, 0, dry.err.join('\n'));
    assert.deepEqual(dry.out, [
      'current key: "k2" (dry run: nothing written)',
      'hubspot access tokens: 0 current, 0 rotated, to rotate: 1 under "k1"',
      'hubspot refresh tokens: 0 current, 0 rotated, to rotate: none',
      'TOTP secrets: 0 current, 0 rotated, to rotate: none',
      'TOTP secrets being enrolled: 0 current, 0 rotated, to rotate: none',
      'CAPTCHA secret keys: 0 current, 0 rotated, to rotate: none',
      'encrypted backups: 0 current, 0 rotated, to rotate: 1 under "k1"',
    ]);
    assert.equal(await backupKeyId(backupFile), 'k1');

    const done = await rotate(ring(K2, K1));
    assert.equal(done.code, 0, done.err.join('\n'));
    assert.equal(done.out[1], 'hubspot access tokens: 0 current, 1 rotated, left: none');
    const line = (prefix: string) => done.out.find((candidate) => candidate.startsWith(prefix));
    assert.equal(line('encrypted backups:'), 'encrypted backups: 0 current, 1 rotated, left: none');
    assert.match(done.out.at(-1) ?? '', /^Every secret is under "k2": the other keys can leave/);
    assert.equal(await backupKeyId(backupFile), 'k2');
    await decryptBackup(backupFile, path.join(work, 'rotated.dump'), [K2]);
    assert.ok(
      (await fs.readFile(path.join(work, 'rotated.dump'))).equals(originalDump),
      'the same dump, new key',
    );
    assert.deepEqual(
      (await fs.readdir(path.join(work, 'backups'))).filter((name) => name.startsWith('.')),
      [],
      'no temporary file is left behind',
    );

    const json = await rotate(ring(K2), '--json');
    assert.equal(json.code, 0, json.err.join('\n'));
    const report = JSON.parse(json.out.join('\n')) as {
      columns: Array<{ current: number }>;
      backups: { current: number };
    };
    assert.equal(report.columns[0]?.current, 1, 'k1 can go: the ring [k2] opens everything');
    assert.equal(report.backups.current, 1);
  });

  it('exits 3 while a secret is left under a key the ring lacks, and refuses to run without keys', async () => {
    const k3 = { id: 'k3', key: Buffer.alloc(32, 3) };
    const lacking = await rotate(ring(k3), '--no-backups');
    assert.equal(lacking.code, 3);
    assert.equal(
      lacking.out[1],
      'hubspot access tokens: 0 current, 0 rotated, left: 1 under "k2"; unreadable: 1 under "k2"',
    );
    assert.match(lacking.out.at(-1) ?? '', /keep every key listed and run rotate-key again/);
    const none = await rotate(undefined);
    assert.equal(none.code, 1);
    assert.match(none.err.join('\n'), /ONEPAGEPAY_ENCRYPTION_KEYS is not set: put the new key first/);
  });
});
