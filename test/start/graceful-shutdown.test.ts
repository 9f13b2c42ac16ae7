import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { freePort } from '../bench/support/processes.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../../relay/src/testing/payment-fixtures.js';
import { createTenant } from '../../relay/src/tenants/create-tenant.js';
import { createForm } from '../../relay/src/tenants/create-form.js';

/** `onepagepay-relay serve` as a real process: SIGTERM lets an in-flight payment finish, then exits 0. */
describe('relay process shutdown', function () {
  this.timeout(90_000);
  let stripe: StripeSandbox;
  let dataDir: string;

  before(async () => {
    stripe = await startStripeSandbox();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-shutdown-'));
  });
  after(async () => {
    await stripe?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the payment in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const port = await freePort();
    const relayDataDir = path.join(dataDir, 'pglite');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      ONEPAGEPAY_DATA_DIR: relayDataDir,
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: stripe.keys.secretTest,
      STRIPE_PUBLISHABLE_KEY: stripe.keys.publishableTest,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '10000',
    };
    delete env.DATABASE_URL;
    const bin = path.resolve(import.meta.dirname, '../../relay/bin/onepagepay-relay.js');
    const migrate = spawn(process.execPath, [bin, 'migrate'], { env, stdio: 'ignore' });
    assert.equal(await new Promise((resolve) => migrate.once('exit', resolve)), 0);
    // Seed through the owner's own connection to the PGlite directory before the relay takes its lock.
    const { openDatabase } = await import('../../relay/src/db/open-database.js');
    const seeding = await openDatabase({ dataDir: relayDataDir });
    const tenant = await createTenant(seeding.knex, { name: 'Shutdown', origins: [PAGE_ORIGIN] });
    const form = await createForm(seeding.knex, {
      tenantId: tenant.id,
      hubspotFormGuid: crypto.randomUUID(),
      productName: 'Ticket',
      currency: 'USD',
      amount: 4900,
    });
    await seeding.close();

    const relay = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    relay.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => relay.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (
        !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        assert.ok(Date.now() < deadline, `relay not ready: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const paymentMethodId = await createCardPaymentMethod(
        stripe.url,
        stripe.keys.publishableTest,
        '4242424242424242',
      );
      stripe.setOutage('slow', 1_500);
      const inFlight = postJson(
        `http://127.0.0.1:${port}/v1/payments`,
        paymentRequest(tenant.id, form.hubspotFormGuid, paymentMethodId),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      relay.kill('SIGTERM');
      const paid = await inFlight;
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.status, 'succeeded');
      assert.equal(await exited, 0, stderr);
      const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'answered',
        () => 'refused',
      );
      assert.equal(refused, 'refused');
    } finally {
      stripe.setOutage('none');
      if (relay.exitCode === null) relay.kill('SIGKILL');
    }
    // The payment it finished was recorded before the process exited.
    const reopened = await openDatabase({ dataDir: relayDataDir });
    try {
      const rows = await reopened.knex('transactions').where({ tenant_id: tenant.id });
      assert.deepEqual(
        rows.map((row) => row.status),
        ['succeeded'],
      );
    } finally {
      await reopened.close();
    }
  });
});
