import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CLI_ACTOR } from '../../relay/src/cli/commands/user.js';
import { openDatabase } from '../../relay/src/db/open-database.js';
import { DEMO_FORMS } from '../../relay/src/dev/seed-demo.js';
import { createApiKey } from '../../relay/src/merchants/api-keys.js';
import { freePort } from '../bench/support/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SANDBOX_SECRET_KEY = 'sk_test_onepagepaysandbox';

interface RunningDemo {
  child: ChildProcess;
  output: () => string;
  tenantId: string;
  pageUrl: string;
}

/**
 * `npm start`, stopped and started again on the same data directory, as a new user does: the payer
 * who paid before the restart pays again, and the payment made before it can still be refunded.
 */
describe('npm start demo across a restart (Chromium)', function () {
  this.timeout(600_000);
  let dataDir: string;
  let ports: { relay: number; stripe: number; demo: number };
  let browser: Browser;
  let demo: RunningDemo | undefined;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-demo-restart-'));
    ports = { relay: await freePort(), stripe: await freePort(), demo: await freePort() };
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    if (demo) await stopDemo(demo);
    await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  async function startDemo(): Promise<RunningDemo> {
    const env = { ...process.env };
    for (const name of Object.keys(env))
      if (name.startsWith('STRIPE_') || name === 'DATABASE_URL') delete env[name];
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(ports.relay),
        STRIPE_SANDBOX_PORT: String(ports.stripe),
        DEMO_PORT: String(ports.demo),
        ONEPAGEPAY_DATA_DIR: path.join(dataDir, 'pglite'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 180_000;
    while (!/Demo page:\s+\S+/.test(output)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `the demo did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      child,
      output: () => output,
      tenantId: /Demo tenant:\s+([0-9a-f-]{36})/.exec(output)![1]!,
      pageUrl: /Demo page:\s+(\S+)/.exec(output)![1]!,
    };
  }

  async function stopDemo(running: RunningDemo): Promise<void> {
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    process.kill(-running.child.pid!, 'SIGTERM');
    await exited;
    // npm may exit before the demo under it has closed its database: wait for the whole group.
    const deadline = Date.now() + 30_000;
    while (groupAlive(running.child.pid!) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function groupAlive(pid: number): boolean {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Pays the legacy v2 form as Grace with 4242; returns what the HubSpot embed submitted. */
  async function payAsGrace(pageUrl: string): Promise<Array<Record<string, string>>> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    try {
      await page.goto(pageUrl);
      const form = page.locator(`form[data-form-id="${DEMO_FORMS.legacyV2.guid}"]`);
      await form.locator('.opp-step iframe').waitFor();
      await form.locator('[name="email"]').fill('grace@example.com');
      await form.locator('[name="firstname"]').fill('Grace');
      await form.locator('[name="lastname"]').fill('Hopper');
      const cardFrame = form.frameLocator('.opp-step iframe');
      await cardFrame.locator('#Field-numberInput').fill('4242 4242 4242 4242');
      await cardFrame.locator('#Field-expiryInput').fill('12 / 34');
      await cardFrame.locator('#Field-cvcInput').fill('123');
      await cardFrame.locator('#Field-postalCodeInput').fill('10001');
      await form.locator('[type=submit]').click();
      type Submission = { formId: string; fields: Array<{ name: string; value: string }> };
      const submitted = () =>
        page.evaluate(
          () =>
            (globalThis as unknown as { __hubspotSandbox: { submissions: Submission[] } }).__hubspotSandbox
              .submissions,
        );
      const deadline = Date.now() + 30_000;
      while ((await submitted()).length === 0) {
        assert.ok(Date.now() < deadline, 'the form was never submitted to HubSpot');
        await page.waitForTimeout(100);
      }
      // A moment more, so a second (duplicate) submission would show up too.
      await page.waitForTimeout(500);
      const submissions = await submitted();
      return submissions.map((submission) =>
        Object.fromEntries(submission.fields.map((field) => [field.name, field.value])),
      );
    } finally {
      await page.close();
    }
  }

  async function sandboxPaymentIntents(): Promise<Array<{ id: string; status: string; customer: string }>> {
    const response = await fetch(`http://127.0.0.1:${ports.stripe}/v1/payment_intents?limit=100`, {
      headers: { authorization: `Bearer ${SANDBOX_SECRET_KEY}` },
    });
    return ((await response.json()) as { data: Array<{ id: string; status: string; customer: string }> })
      .data;
  }

  it('pays, restarts, pays again as the same payer, and refunds the payment made before the restart', async () => {
    demo = await startDemo();
    const [before] = await payAsGrace(demo.pageUrl);
    assert.equal(before?.onepagepay_payment_status, 'succeeded', demo.output());
    const firstTransaction = before!.onepagepay_transaction_id!;
    const [firstIntent] = await sandboxPaymentIntents();
    assert.equal(firstIntent?.status, 'succeeded');
    await stopDemo(demo);
    demo = undefined;

    // The merchant's API key, made while the demo is stopped (PGlite allows one process at a time).
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    const tenantId = (await database.knex('tenants').where({ name: 'OnePagePay demo' }).first('id'))
      .id as string;
    const key = await createApiKey(
      database.knex,
      { tenantId, livemode: false },
      { name: 'e2e', scopes: ['transactions:read', 'refunds:write'], createdBy: null },
      CLI_ACTOR,
    );
    await database.close();

    demo = await startDemo();
    const after = await payAsGrace(demo.pageUrl);
    assert.equal(after.length, 1, 'one HubSpot submission');
    assert.equal(after[0]?.onepagepay_payment_status, 'succeeded', demo.output());
    assert.notEqual(after[0]?.onepagepay_transaction_id, firstTransaction);
    const intents = await sandboxPaymentIntents();
    assert.equal(intents.length, 2, 'one new PaymentIntent, and the first one still known');
    assert.equal(intents[0]?.customer, firstIntent?.customer, 'the returning payer kept their customer');

    const refund = await fetch(
      `http://127.0.0.1:${ports.relay}/v1/transactions/${firstTransaction}/refunds`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key.secret}`,
          'content-type': 'application/json',
          'idempotency-key': 'demo-restart-refund-1',
        },
        body: JSON.stringify({}),
      },
    );
    const refunded = (await refund.json()) as {
      status: string;
      providerRefundId: string;
      transaction: { status: string };
    };
    assert.equal(refund.status, 200, JSON.stringify(refunded));
    assert.equal(refunded.status, 'succeeded');
    assert.match(refunded.providerRefundId, /^re_/);
    assert.equal(refunded.transaction.status, 'refunded');
  });
});
