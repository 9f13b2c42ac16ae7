import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Errors from './errors.js';

// The package must be safe to import where there is no window (SSR, tests, build tools).
describe('@onepagepay/sdk in Node', function () {
  this.timeout(30_000);

  const untouched = () => {
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined', 'no window was created');
    assert.equal(
      typeof (globalThis as { document?: unknown }).document,
      'undefined',
      'no document was created',
    );
  };

  it('imports the source entry without touching window or loading anything', async () => {
    const globalsBefore = Object.keys(globalThis).sort();
    // By name, so the Node-only tests project does not type-check the DOM sources.
    const entry = '@onepagepay/sdk';
    const sdk = (await import(entry)) as typeof Errors & {
      attach: unknown;
      attachAll: unknown;
    };
    untouched();
    assert.deepEqual(Object.keys(globalThis).sort(), globalsBefore, 'no new globals');
    assert.equal(typeof sdk.attach, 'function');
    assert.equal(typeof sdk.attachAll, 'function');
    const error = new sdk.OnePagePayError('card_declined', 'Declined', { declineCode: 'insufficient_funds' });
    assert.ok(sdk.isOnePagePayError(error));
    assert.equal(error.name, 'OnePagePayError');
    assert.equal(error.declineCode, 'insufficient_funds');
    assert.ok(!sdk.isOnePagePayError(new Error('x')));
  });

  it('builds ESM and CJS that Node imports and requires without side effects', async () => {
    // Inside the package, so the build's external imports (@stripe/stripe-js) resolve as they would
    // for an installed copy; npm workspaces may hoist everything and leave no node_modules here.
    const buildRoot = join(process.cwd(), 'packages/sdk/node_modules');
    await mkdir(buildRoot, { recursive: true });
    const outDir = await mkdtemp(join(buildRoot, '.sdk-build-'));
    try {
      // @ts-expect-error the build script is plain JavaScript without types
      const { buildSdk } = await import('../scripts/build.mjs');
      await buildSdk({ outDir, version: '1.2.3' });
      const esm = await import(pathToFileURL(join(outDir, 'index.js')).href);
      const cjs = createRequire(import.meta.url)(join(outDir, 'index.cjs'));
      untouched();
      for (const sdk of [esm, cjs]) {
        assert.equal(sdk.VERSION, '1.2.3');
        assert.equal(typeof sdk.attach, 'function');
        assert.equal(typeof sdk.stripeProvider, 'function');
        assert.equal(typeof sdk.paypalProvider, 'function');
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
