import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
// @ts-expect-error the build script is plain JavaScript without types
import { buildCdn, bundleIife, bundleWithNotices, integrityOf } from '../scripts/build.mjs';

const KB = 1024;
const gzip = (code: string) => gzipSync(Buffer.from(code), { level: 9 }).length;

describe('the CDN bundle', function () {
  this.timeout(60_000);

  // PayPal's loader and buttons are a file of their own that only forms taking PayPal fetch.
  it('stays within its size budget: core <= 5 KB gzip, <= 8 KB as shipped, PayPal half <= 3 KB', async () => {
    const [core, paypal] = await Promise.all([
      bundleIife({ stubProviders: true }),
      bundleIife({ half: 'paypal' }),
    ]);
    // As shipped, with the PayPal half's hash inlined (built once here, not again by bundleIife).
    const shipped = await bundleIife({ paypalIntegrity: integrityOf(paypal) });
    assert.ok(gzip(core) <= 5 * KB, `core is ${gzip(core)} B gzip`);
    assert.ok(gzip(shipped) <= 8 * KB, `as shipped it is ${gzip(shipped)} B gzip`);
    assert.ok(gzip(paypal) <= 3 * KB, `the PayPal half is ${gzip(paypal)} B gzip`);
    assert.ok(gzip(core) < gzip(shipped), 'the variants differ as they should');
    // PayPal's loader (it names www.paypal.com/sdk/js) is only in the half; the core knows its file.
    assert.doesNotMatch(shipped, /paypal\.com\/sdk\/js/);
    assert.match(paypal, /paypal\.com\/sdk\/js/);
    assert.match(shipped, /onepagepay-paypal-/);
  });

  it('writes versioned and latest files, a banner and a manifest with SRI hashes', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'onepagepay-cdn-test-'));
    try {
      const { manifest } = await buildCdn({ outDir, version: '9.8.7' });
      assert.deepEqual(
        manifest.files.map((file: { file: string }) => file.file),
        ['onepagepay-9.8.7.min.js', 'onepagepay.min.js'],
      );
      assert.deepEqual(
        manifest.lazy.map((file: { file: string }) => file.file),
        ['onepagepay-paypal-9.8.7.min.js'],
      );
      const half = await readFile(join(outDir, 'onepagepay-paypal-9.8.7.min.js'), 'utf8');
      assert.equal(
        manifest.lazy[0].integrity,
        `sha384-${createHash('sha384').update(half).digest('base64')}`,
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

  // A page that pins the core with SRI gets the PayPal half pinned too, so the core must carry the
  // hash of the half exactly as written (banner included): the build makes the half first.
  it('puts the sha384 of the PayPal half, as written, into the core', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'onepagepay-cdn-test-'));
    try {
      const { manifest } = await buildCdn({ outDir, version: '9.8.7' });
      const half = await readFile(join(outDir, 'onepagepay-paypal-9.8.7.min.js'));
      const integrity = `sha384-${createHash('sha384').update(half).digest('base64')}`;
      for (const name of ['onepagepay-9.8.7.min.js', 'onepagepay.min.js']) {
        const core = await readFile(join(outDir, name), 'utf8');
        assert.deepEqual(core.match(/sha384-[A-Za-z0-9+/]+=*/g), [integrity], name);
      }
      assert.equal(manifest.lazy[0].integrity, integrity);
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
      const { manifest } = await buildCdn({ outDir, version: '9.8.7' });
      assert.equal(manifest.licenses, 'onepagepay-9.8.7.LICENSE.txt');
      // PayPal's loader (Apache-2.0) lives in the PayPal half: its banner names the file.
      const code = await readFile(join(outDir, 'onepagepay-paypal-9.8.7.min.js'), 'utf8');
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
