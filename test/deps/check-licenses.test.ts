import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

import { findDisallowedLicenses } from './check-licenses.js';

const script = fileURLToPath(new URL('./check-licenses.ts', import.meta.url));
const run = promisify(execFile);

const lock = {
  packages: {
    '': { name: 'onepagepay' },
    'node_modules/@onepagepay/relay': { link: true },
    'node_modules/koa': { license: 'MIT' },
    'node_modules/either': { license: '(MIT OR GPL-3.0-or-later)' },
    'node_modules/koa/node_modules/copyleft': { license: 'AGPL-3.0-only' },
    'node_modules/unlabelled': {},
    'node_modules/gpl-dev-tool': { license: 'GPL-3.0-only', dev: true },
  },
};

describe('dependency licence check', () => {
  it('refuses runtime packages under a licence not allowed or with none, nested ones included', () => {
    assert.deepEqual(findDisallowedLicenses(lock), [
      { path: 'node_modules/koa/node_modules/copyleft', license: 'AGPL-3.0-only' },
      { path: 'node_modules/unlabelled', license: '(none)' },
    ]);
  });

  it('exits 1 naming the package on a bad lockfile and 0 on the repository lockfile', async function () {
    this.timeout(30_000);
    const dir = await mkdtemp(join(tmpdir(), 'licences-'));
    try {
      const bad = join(dir, 'package-lock.json');
      await writeFile(bad, JSON.stringify(lock));
      const args = ['--import', 'tsx', script];
      await assert.rejects(
        run(process.execPath, [...args, bad]),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 1);
          assert.match(error.stderr, /copyleft \(AGPL-3\.0-only\)/);
          return true;
        },
      );
      const { stdout } = await run(process.execPath, [...args, 'package-lock.json']);
      assert.match(stdout, /every runtime dependency/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
