import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataDirInUseError, dataDirInUse, dataDirLockPath, lockDataDir } from './data-dir-lock.js';

const HOUR_AGO = () => new Date(Date.now() - 3600_000);

/** A separate process that takes the lock and waits to be killed. */
async function holdInChildProcess(dataDir: string): Promise<ReturnType<typeof spawn>> {
  const moduleUrl = new URL('./data-dir-lock.ts', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { lockDataDir } = await import(${JSON.stringify(moduleUrl)});
       await lockDataDir(${JSON.stringify(dataDir)});
       console.log('locked');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  assert.match(chunk.toString(), /locked/);
  return child;
}

describe('PGlite data directory lock', function () {
  this.timeout(60_000);
  let root: string;
  let dataDir: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-lock-'));
    dataDir = path.join(root, 'pglite');
    await fs.mkdir(dataDir);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('stays held while its holder lives, however long since the holder last touched it', async () => {
    const release = await lockDataDir(dataDir);
    try {
      // What a holder whose event loop stalled (a loaded machine, PGlite busy in WASM) looks like:
      // proper-lockfile's 15 s mtime rule used to hand the directory to a second process here.
      await fs.utimes(dataDirLockPath(dataDir), HOUR_AGO(), HOUR_AGO());
      await assert.rejects(lockDataDir(dataDir), DataDirInUseError);
      assert.equal(await dataDirInUse(dataDir), true);
    } finally {
      await release();
    }
    assert.equal(await dataDirInUse(dataDir), false, 'released');
    await (
      await lockDataDir(dataDir)
    )();
  });

  it('is taken over at once when its holder was killed', async () => {
    const child = await holdInChildProcess(dataDir);
    await assert.rejects(lockDataDir(dataDir), DataDirInUseError, 'held by a live process');
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(await dataDirInUse(dataDir), false, 'a dead holder holds nothing');
    const release = await lockDataDir(dataDir);
    assert.equal(await dataDirInUse(dataDir), true);
    await release();
  });

  it('takes over a lock with no owner only once it is old (a crash between lock and owner file)', async () => {
    await fs.mkdir(dataDirLockPath(dataDir));
    await assert.rejects(lockDataDir(dataDir), DataDirInUseError, 'fresh: maybe a holder starting');
    await fs.utimes(dataDirLockPath(dataDir), HOUR_AGO(), HOUR_AGO());
    const release = await lockDataDir(dataDir);
    await release();
    await assert.rejects(fs.stat(dataDirLockPath(dataDir)), { code: 'ENOENT' });
  });
});
