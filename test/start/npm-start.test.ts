import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startNpmStart } from '../bench/support/npm-start.js';

/**
 * `npm start` on a machine with no database server, no credentials and no network. How fast it gets
 * ready is measured by test/bench/start (docs/benchmarks.md); here it only has to get there.
 */
describe('npm start', function () {
  this.timeout(150_000);

  it('serves /readyz = 200 on a fresh data directory, with the demo tenant seeded', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-start-'));
    const start = await startNpmStart(path.join(dataDir, 'pglite'));
    try {
      // Generous: a fresh PGlite directory takes a few seconds on a quiet machine, far more on a busy one.
      const readyMs = await start.waitReady(120_000);
      assert.ok(readyMs !== null, `not ready after 120 s:\n${start.output()}`);
      const deadline = Date.now() + 20_000;
      while (!/sign in as/.test(start.output()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const output = start.output();
      assert.match(output, /no real money moves/);
      const tenantId = /Demo tenant:\s+([0-9a-f-]{36})/.exec(output)?.[1];
      const formId = /Demo forms:\s+([0-9a-f-]{36})/.exec(output)?.[1];
      const config = await fetch(`http://127.0.0.1:${start.port}/v1/forms/${tenantId}/${formId}`);
      assert.equal(config.status, 200, output);
      assert.match(
        ((await config.json()) as { stripe: { publishableKey: string } }).stripe.publishableKey,
        /^pk_test_/,
      );
      // The banner's dashboard and sandbox merchant work as printed.
      const dashboard = /Dashboard:\s+(\S+)/.exec(output)?.[1] ?? '';
      assert.equal((await fetch(dashboard)).status, 200, output);
      const [, email, password] = /sign in as (\S+) \/ (\S+) \(sandbox only\)/.exec(output) ?? [];
      const relayUrl = new URL(dashboard).origin;
      const login = await fetch(`${relayUrl}/v1/merchant/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: relayUrl },
        body: JSON.stringify({ email, password }),
      });
      const signedIn = await login.text();
      assert.equal(login.status, 200, signedIn);
      assert.equal((JSON.parse(signedIn) as { tenantId: string }).tenantId, tenantId);
    } finally {
      await start.stop();
      await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  });
});
