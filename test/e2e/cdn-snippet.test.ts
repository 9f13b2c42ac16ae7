import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  startPayPalSandbox,
  startStripeSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { serveDemoPage, type DemoPage } from '../../relay/src/dev/demo-page.js';
import { DEMO_FORMS, seedDemo } from '../../relay/src/dev/seed-demo.js';
import { PAYPAL_TEST_WEBHOOK_ID, paypalEnvFor } from '../../relay/src/testing/paypal-fixtures.js';
import { startTestRelay, type TestRelay } from '../../relay/src/testing/test-relay.js';
import { launchChromium } from '../support/browser.js';
import { findCardNumbers } from './card-numbers.js';

// The marketer's page (examples/cdn-snippet) in Chromium against a real relay on PostgreSQL and the
// Stripe and PayPal sandboxes, paid by a "payer" through the fakes of Stripe.js, PayPal's JS SDK and
// HubSpot's embeds.
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const IMG = new URL('../../docs/img/', import.meta.url);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('examples/cdn-snippet end to end (Chromium, PostgreSQL)', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let paypal: PayPalSandbox;
  let relay: TestRelay;
  let demo: DemoPage;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
    paypal = await startPayPalSandbox({ webhookRetryDelaysMs: [50] });
    relay = await startTestRelay(stripe, { env: paypalEnvFor(paypal) });
    paypal.setWebhook({ url: `${relay.url}/v1/webhooks/paypal`, webhookId: PAYPAL_TEST_WEBHOOK_ID });
    assert.equal(relay.database.kind, 'postgres', 'this test runs on PostgreSQL');
    const port = await freePort();
    const { tenant } = await seedDemo(relay.database.knex, [`http://127.0.0.1:${port}`]);
    demo = await serveDemoPage({
      relayUrl: relay.url,
      tenantId: tenant.id,
      formGuids: [DEMO_FORMS.legacyV2.guid, DEMO_FORMS.v4.guid],
      stripeSandboxUrl: stripe.url,
      port,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await mkdir(IMG, { recursive: true });
    await page.goto(demo.url);
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    await relay?.close();
    await paypal?.close();
    await stripe?.close();
  });

  async function payerFills(formSelector: string, fieldPrefix: string, card: string) {
    const form = page.locator(formSelector);
    await form.locator(`[name="${fieldPrefix}email"]`).fill('grace.hopper@example.com');
    await form.locator(`[name="${fieldPrefix}firstname"]`).fill('Grace');
    await form.locator(`[name="${fieldPrefix}lastname"]`).fill('Hopper');
    const cardFrame = form.frameLocator('.opp-step iframe');
    await cardFrame.locator('#Field-numberInput').fill(card);
    await cardFrame.locator('#Field-expiryInput').fill('12 / 34');
    await cardFrame.locator('#Field-cvcInput').fill('123');
    await cardFrame.locator('#Field-postalCodeInput').fill('10001');
    return form;
  }

  /** The fake HubSpot embed's record of what it submitted (what HubSpot would store). */
  async function submissionOf(formId: string): Promise<Record<string, string>> {
    type Submission = { formId: string; fields: Array<{ name: string; value: string }> };
    const read = (id: string) =>
      (
        globalThis as unknown as { __hubspotSandbox: { submissions: Submission[] } }
      ).__hubspotSandbox.submissions.find((s) => s.formId === id)?.fields ?? null;
    await page.waitForFunction(read, formId, { timeout: 15_000 });
    const fields = (await page.evaluate(read, formId)) ?? [];
    return Object.fromEntries(fields.map((field) => [field.name, field.value]));
  }

  async function transactionRow(id: string) {
    return relay.database
      .knex('transactions as t')
      .join('contacts as c', function () {
        this.on('c.id', '=', 't.contact_id').andOn('c.tenant_id', '=', 't.tenant_id');
      })
      .where('t.id', id)
      .first('t.status', 't.amount', 't.currency', 'c.email', 'c.first_name', 'c.last_name', 't.provider');
  }

  it('pays the legacy v2 form with 4242: one transaction row with the payer, and HubSpot gets its id', async () => {
    const section = page.locator('section').nth(0);
    await section.locator('.opp-step iframe').waitFor();
    await section.scrollIntoViewIfNeeded();
    const form = await payerFills(
      `form[data-form-id="${DEMO_FORMS.legacyV2.guid}"]`,
      '',
      '4242 4242 4242 4242',
    );
    await section.screenshot({ path: new URL('cdn-snippet-v2-card.png', IMG).pathname });
    await form.locator('[type=submit]').click();
    const fields = await submissionOf(DEMO_FORMS.legacyV2.guid);
    assert.match(fields.onepagepay_transaction_id ?? '', UUID);
    assert.equal(fields.onepagepay_payment_status, 'succeeded');
    assert.equal(fields.email, 'grace.hopper@example.com');
    await section.screenshot({ path: new URL('cdn-snippet-v2-paid.png', IMG).pathname });
    const row = await transactionRow(fields.onepagepay_transaction_id!);
    assert.deepEqual(row, {
      status: 'succeeded',
      amount: DEMO_FORMS.legacyV2.amount,
      currency: 'USD',
      email: 'grace.hopper@example.com',
      first_name: 'Grace',
      last_name: 'Hopper',
      provider: 'stripe',
    });
  });

  it('pays the v4 form with the 3-D Secure card after the visible challenge', async () => {
    const section = page.locator('section').nth(1);
    await section.locator('.opp-step iframe').waitFor();
    await section.scrollIntoViewIfNeeded();
    const form = await payerFills('.hs-form-html form', '0-1/', '4000 0025 0000 3155');
    await form.locator('[type=submit]').click();
    const challenge = page.locator('[data-testid="stripe-sandbox-3ds-modal"]');
    await challenge.waitFor();
    await page.screenshot({ path: new URL('cdn-snippet-3ds-challenge.png', IMG).pathname });
    await challenge.locator('[data-testid="stripe-sandbox-3ds-complete"]').click();
    const fields = await submissionOf(DEMO_FORMS.v4.guid);
    assert.match(fields.onepagepay_transaction_id ?? '', UUID);
    assert.equal(fields.onepagepay_payment_status, 'succeeded');
    await section.screenshot({ path: new URL('cdn-snippet-v4-paid.png', IMG).pathname });
    const row = await transactionRow(fields.onepagepay_transaction_id!);
    assert.equal(row?.status, 'succeeded');
    assert.equal(row?.amount, DEMO_FORMS.v4.amount);
    assert.equal(row?.email, 'grace.hopper@example.com');
    await page.screenshot({ path: new URL('cdn-snippet-page.png', IMG).pathname, fullPage: true });
  });

  it('pays the legacy v2 form once with PayPal: one order captured once, one transaction, one submission', async () => {
    await page.goto(demo.url);
    const section = page.locator('section').nth(0);
    const paypalButton = section.locator('.paypal-buttons button');
    await paypalButton.waitFor();
    await section.scrollIntoViewIfNeeded();
    const form = page.locator(`form[data-form-id="${DEMO_FORMS.legacyV2.guid}"]`);
    await form.locator('[name="email"]').fill('ada.lovelace@example.com');
    await form.locator('[name="firstname"]').fill('Ada');
    await form.locator('[name="lastname"]').fill('Lovelace');
    await paypalButton.click();
    const payerWindow = page.locator('.paypal-checkout-sandbox');
    await payerWindow.waitFor();
    await page.screenshot({ path: new URL('cdn-snippet-paypal-window.png', IMG).pathname });
    await payerWindow.locator('[data-paypal-approve]').click();
    const fields = await submissionOf(DEMO_FORMS.legacyV2.guid);
    assert.match(fields.onepagepay_transaction_id ?? '', UUID);
    assert.equal(fields.onepagepay_payment_status, 'succeeded');
    assert.equal(fields.email, 'ada.lovelace@example.com');
    const row = await transactionRow(fields.onepagepay_transaction_id!);
    assert.equal(row?.status, 'succeeded');
    assert.equal(row?.provider, 'paypal');
    assert.equal(row?.amount, DEMO_FORMS.legacyV2.amount);
    const orders = paypal.orders() as Array<{
      status: string;
      purchase_units: Array<{ invoice_id?: string; payments?: { captures?: unknown[] } }>;
    }>;
    const paid = orders.filter(
      (order) => order.purchase_units[0]?.invoice_id === fields.onepagepay_transaction_id,
    );
    assert.equal(paid.length, 1, 'one PayPal order');
    assert.equal(paid[0]?.status, 'COMPLETED');
    assert.equal(paid[0]?.purchase_units[0]?.payments?.captures?.length, 1, 'captured once');
    assert.equal(orders.length, 1, 'no other order was made');
  });

  it('leaves no card number in the database dump or the relay logs', async () => {
    const { stdout: dump } = await promisify(execFile)(
      'pg_dump',
      ['--no-owner', relay.database.connectionString!],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    assert.match(
      dump,
      /grace\.hopper@example\.com/,
      'the dump holds the payments (so the scan means something)',
    );
    assert.deepEqual(findCardNumbers(dump), [], 'card numbers in the database dump');
    const logs = relay.logLines.join('\n');
    assert.ok(relay.logLines.length > 0, 'the relay logged');
    assert.deepEqual(findCardNumbers(logs), [], 'card numbers in the relay logs');
  });
});
