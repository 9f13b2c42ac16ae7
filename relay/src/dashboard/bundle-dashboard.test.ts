import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard } from '../../scripts/build-dashboard.js';
import { bundleDashboard, loadDashboardAssets, PREBUILT_DIR } from './bundle-dashboard.js';

describe('dashboard assets: prebuilt in a published relay, bundled in a checkout', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = `${await mkdtemp(join(tmpdir(), 'dashboard-assets-'))}/`;
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('serves what the build wrote, byte for byte, without bundling', async () => {
    const built = await buildDashboard(dir);
    assert.ok(
      built.scriptGzipBytes > 1000 && built.scriptGzipBytes < 60 * 1024,
      `${built.scriptGzipBytes} B`,
    );
    const fresh = await bundleDashboard();
    const served = await loadDashboardAssets(dir);
    assert.equal(served.origin, 'prebuilt');
    assert.equal(served.script, fresh.script);
    assert.equal(served.style, fresh.style);
    // Files that could not come from the sources prove they were read, not rebuilt.
    await writeFile(`${dir}app.js`, 'console.log("prebuilt")');
    await writeFile(`${dir}app.css`, 'body{}');
    assert.deepEqual(await loadDashboardAssets(dir), {
      script: 'console.log("prebuilt")',
      style: 'body{}',
      origin: 'prebuilt',
    });
  });

  it('bundles the sources when nothing (or only half) was built, as in a fresh checkout', async () => {
    const fresh = await bundleDashboard();
    assert.deepEqual(await loadDashboardAssets(dir), { ...fresh, origin: 'esbuild' });
    await writeFile(`${dir}app.js`, 'stale');
    assert.equal((await loadDashboardAssets(dir)).origin, 'esbuild');
    assert.equal(
      (await loadDashboardAssets(PREBUILT_DIR)).origin,
      'esbuild',
      'a checkout has no src/dashboard/assets',
    );
  });
});
