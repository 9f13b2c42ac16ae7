import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bench/support/processes.js';

/** `npm start` on a machine with no database server, no credentials and no network. */
describe('npm start', function () {
  this.timeout(90_000);

  it('serves /readyz = 200 within 15 s on a fresh data directory, with the demo tenant seeded', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-start-'));
    const [port, stripePort, demoPort] = [await freePort(), await freePort(), await freePort()];
    const env = { ...process.env };
    for (const name of Object.keys(env))
      if (name.startsWith('STRIPE_') || name === 'DATABASE_URL') delete env[name];
    const child = spawn('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        ...env,
        PORT: String(port),
        STRIPE_SANDBOX_PORT: String(stripePort),
        DEMO_PORT: String(demoPort),
        HUBSPOT_SANDBOX_PORT: String(await freePort()),
        ONEPAGEPAY_DATA_DIR: path.join(dataDir, 'pglite'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const startedAt = Date.now();
    try {
      let ready = false;
      while (!ready && Date.now() - startedAt < 30_000) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.status === 200,
          () => false,
        );
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const seconds = (Date.now() - startedAt) / 1000;
      assert.ok(ready, `not ready after ${seconds}s:\n${output}`);
      assert.ok(seconds < 15, `ready only after ${seconds}s`);
      while (!/Demo tenant:/.test(output) && Date.now() - startedAt < 30_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(output, /no real money moves/);
      const tenantId = /Demo tenant:\s+([0-9a-f-]{36})/.exec(output)?.[1];
      const formId = /Demo forms:\s+([0-9a-f-]{36})/.exec(output)?.[1];
      const config = await fetch(`http://127.0.0.1:${port}/v1/forms/${tenantId}/${formId}`);
      assert.equal(config.status, 200, output);
      assert.match(
        ((await config.json()) as { stripe: { publishableKey: string } }).stripe.publishableKey,
        /^pk_test_/,
      );
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
