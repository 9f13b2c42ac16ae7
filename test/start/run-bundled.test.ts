import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * scripts/run-bundled.mjs, which `npm start` runs: the first start bundles the entry into the cache,
 * later starts reuse the bundle until a source changes, and each source keeps its own
 * `import.meta.url`. Real processes, a real esbuild build, a real cache directory.
 */
describe('run-bundled (npm start from a cached bundle)', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;
  let entry: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-run-bundled-'));
    // Where the bundle can import packages by name (run-bundled refuses a folder elsewhere).
    cache = path.join(ROOT, 'node_modules/.cache', path.basename(dir));
    entry = path.join(dir, 'entry.ts');
    await fs.mkdir(path.join(dir, 'lib'));
    await fs.writeFile(
      entry,
      [
        "import { message, where, stackHere } from './lib/message.js';",
        // A third-party package stays an import, resolved from the cache's node_modules.
        "import Koa from 'koa';",
        'const out: { message: string; where: string; entryUrl: string; argv1: string | undefined; koa: string; stack: string } = {',
        '  stack: stackHere(),',
        '  koa: typeof new Koa().callback,',
        '  message,',
        '  where,',
        '  entryUrl: import.meta.url,',
        '  argv1: process.argv[1],',
        '};',
        'console.log(JSON.stringify(out));',
      ].join('\n'),
    );
    await writeMessage('first');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(cache, { recursive: true, force: true });
  });

  const writeMessage = (text: string) =>
    fs.writeFile(
      path.join(dir, 'lib/message.ts'),
      `export const message: string = ${JSON.stringify(text)};\nexport const where = import.meta.url;\n` +
        'export const stackHere = (): string => new Error().stack ?? "";\n',
    );

  async function start(nodeOptions = ''): Promise<{
    message: string;
    where: string;
    entryUrl: string;
    argv1: string;
    koa: string;
    stack: string;
  }> {
    const { stdout } = await run('node', ['scripts/run-bundled.mjs', entry], {
      cwd: ROOT,
      env: {
        ...process.env,
        ONEPAGEPAY_BUNDLE_CACHE: cache,
        // This test decides whether source maps are on, whatever the caller's NODE_OPTIONS say.
        NODE_OPTIONS: [process.env.NODE_OPTIONS?.replaceAll('--enable-source-maps', ''), nodeOptions]
          .filter(Boolean)
          .join(' '),
      },
    });
    return JSON.parse(stdout) as {
      message: string;
      where: string;
      entryUrl: string;
      argv1: string;
      koa: string;
      stack: string;
    };
  }

  const bundleFile = async () => {
    const [folder, ...others] = await fs.readdir(cache);
    assert.deepEqual(others, [], `one bundle in ${cache}`);
    return path.join(cache, folder!, 'entry.mjs');
  };

  it('builds on the first start, reuses the bundle on the next, rebuilds after a source is edited', async () => {
    const first = await start();
    assert.equal(first.message, 'first');
    assert.equal(first.koa, 'function');
    const bundle = await bundleFile();
    const built = (await fs.stat(bundle)).mtimeMs;

    // Unchanged sources: the same bundle file, not rewritten.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await start()).message, 'first');
    assert.equal((await fs.stat(bundle)).mtimeMs, built);

    // An edit to an imported file (not the entry) is picked up by the next start.
    await writeMessage('second');
    assert.equal((await start()).message, 'second');
    assert.ok((await fs.stat(bundle)).mtimeMs > built, 'the bundle was rebuilt');
    assert.equal((await start()).message, 'second');
  });

  it("keeps each source's import.meta.url and the entry as argv[1], though bundled elsewhere", async () => {
    const started = await start();
    assert.equal(started.entryUrl, pathToFileURL(entry).href);
    assert.equal(started.where, pathToFileURL(path.join(dir, 'lib/message.ts')).href);
    assert.equal(started.argv1, entry);
  });

  it('leaves source maps off unless NODE_OPTIONS turns them on, when frames name the .ts source', async () => {
    // Off by default: decoding the bundle's map at the first stack trace cost a warm demo start
    // ~0.17 s (docs/benchmarks.md, "Start-up").
    const { stack } = await start();
    assert.match(stack, /entry\.mjs:\d+:\d+/);
    assert.doesNotMatch(stack, /message\.ts/);
    const mapped = await start('--enable-source-maps');
    assert.match(mapped.stack, /lib\/message\.ts:3:\d+/);
  });

  it('fails with the file and the error when a source does not compile, and recovers once fixed', async () => {
    await fs.writeFile(path.join(dir, 'lib/message.ts'), 'export const message = ;\n');
    await assert.rejects(start(), (error: { code: number; stderr: string }) => {
      assert.notEqual(error.code, 0);
      assert.match(error.stderr, /message\.ts/);
      return true;
    });
    await writeMessage('fixed');
    assert.equal((await start()).message, 'fixed');
  });
});
