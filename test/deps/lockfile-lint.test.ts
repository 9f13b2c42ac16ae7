import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The lockfile-lint arguments exactly as `npm run check:deps` passes them. */
async function lintArguments(): Promise<string[]> {
  const scripts = JSON.parse(await readFile('package.json', 'utf8')).scripts as Record<string, string>;
  const command = scripts['check:deps']!.split('&&')[0]!.trim().split(/\s+/);
  assert.equal(command[0], 'lockfile-lint');
  return command.slice(1);
}

async function lint(lockPath: string): Promise<{ code: number; output: string }> {
  const args = (await lintArguments()).map((arg) => (arg === 'package-lock.json' ? lockPath : arg));
  const bin = require.resolve('lockfile-lint/bin/lockfile-lint.js');
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('lockfile checks of npm run check:deps', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'lockfile-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('passes the repository lockfile', async () => {
    assert.equal((await lint('package-lock.json')).code, 0);
  });

  it('refuses a package from another host, over http, or with a sha1 integrity', async () => {
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8'));
    lock.packages['node_modules/koa'].resolved = 'http://registry.example.com/koa/-/koa-3.3.0.tgz';
    lock.packages['node_modules/vary'].integrity = 'sha1-3c0ba08bcda5f4761f037e9be3ccb0938383fb01';
    const tampered = join(dir, 'package-lock.json');
    await writeFile(tampered, JSON.stringify(lock));
    const { code, output } = await lint(tampered);
    assert.notEqual(code, 0);
    assert.match(output, /invalid host\(s\) for package: koa@/);
    assert.match(output, /invalid protocol for package: koa@/);
    assert.match(output, /invalid integrity hash type for package: vary@/);
  });
});
