import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
// @ts-expect-error the build script is plain JavaScript without types
import { buildCdn, bundleIife, bundleWithNotices } from '../scripts/build.mjs';

const KB = 1024;
const gzip = (code: string) => gzipSync(Buffer.from(code), { level: 9 }).length;

describe('the CDN bundle', function () {
  this.timeout(60_000);

  it('stays within its size budget: core <= 5 KB gzip, <= 8 KB with the Stripe and PayPal loaders', async () => {
    const [core, shipped, both] = await Promise.all([
      bundleIife({ stubProviders: true }),
      bundleIife(),
      bundleIife({ withPayPal: true }),
    ]);
    assert.ok(gzip(core) <= 5 * KB, `core is ${gzip(core)} B gzip`);
    assert.ok(gzip(both) <= 8 * KB, `with both loaders it is ${gzip(both)} B gzip`);
    assert.ok(gzip(core) < gzip(shipped) && gzip(shipped) < gzip(both), 'the variants differ as they should');
    assert.match(both, /__paypalLoader/);
  });

  it('writes versioned and latest files, a banner and a manifest with SRI hashes', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'onepagepay-cdn-test-'));
    try {
      const { manifest } = await buildCdn({ outDir, version: '9.8.7' });
      assert.deepEqual(
        manifest.files.map((file: { file: string }) => file.file),
        ['onepagepay-9.8.7.min.js', 'onepagepay.min.js'],
      );
      const code = await readFile(join(outDir, 'onepagepay-9.8.7.min.js'), 'utf8');
      assert.match(code, /^\/\*! OnePagePay 9\.8\.7 /);
      const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
      assert.equal(manifest.files[0].integrity, integrity);
      assert.equal(manifest.files[1].integrity, integrity);
      const onDisk = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'));
      assert.deepEqual(onDisk, manifest);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('moves third-party license notices to a LICENSE file beside the bundle, named in the banner', async () => {
    const shipped = await bundleWithNotices({ version: '9.8.7' });
    assert.deepEqual(shipped.notices, [], 'the shipped bundle has no third-party notice today');
    assert.match(shipped.code, /^\/\*! OnePagePay 9\.8\.7 \| MIT \*\//);

    const outDir = await mkdtemp(join(tmpdir(), 'onepagepay-cdn-test-'));
    try {
      const { manifest } = await buildCdn({ outDir, version: '9.8.7', withPayPal: true });
      assert.equal(manifest.licenses, 'onepagepay-9.8.7.LICENSE.txt');
      const code = await readFile(join(outDir, 'onepagepay-9.8.7.min.js'), 'utf8');
      assert.match(
        code,
        /^\/\*! OnePagePay 9\.8\.7 \| MIT \| third-party licenses: onepagepay-9\.8\.7\.LICENSE\.txt \*\//,
      );
      assert.doesNotMatch(code, /Apache License/, 'no notice left inline');
      assert.equal(code.match(/\/\*!/g)?.length, 1, 'only our banner');
      const licenses = await readFile(join(outDir, manifest.licenses), 'utf8');
      assert.match(licenses, /paypal-js v[\d.]+/);
      assert.match(licenses, /Copyright 2020-present, PayPal, Inc\./);
      assert.match(licenses, /Licensed under the Apache License, Version 2\.0/);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('sets exactly one global, OnePagePay, and does nothing without its data attributes', async () => {
    const code = await bundleIife({ version: '1.2.3' });
    const window: Record<string, unknown> = {};
    const sandbox = { window, document: { currentScript: null }, console };
    const before = Object.keys(sandbox);
    runInNewContext(code, sandbox);
    assert.deepEqual(Object.keys(sandbox), before, 'no other global');
    assert.deepEqual(Object.keys(window), ['OnePagePay']);
    const api = window.OnePagePay as { version: string; attach: unknown; attachAll: unknown };
    assert.equal(api.version, '1.2.3');
    assert.equal(typeof api.attach, 'function');
    assert.equal(typeof api.attachAll, 'function');
  });
});
