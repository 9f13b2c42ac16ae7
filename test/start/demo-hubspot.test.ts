import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { DEMO_FORMS } from '../../relay/src/dev/seed-demo.js';
import { freePort } from '../bench/support/processes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface PortalRecords {
  contacts: Array<{ id: string; properties: Record<string, string | null> }>;
  deals: Array<{ id: string; properties: Record<string, string | null> }>;
  lineItems: Array<{ id: string; properties: Record<string, string | null> }>;
  associations: Array<{ fromType: string; fromId: string; toType: string; toId: string }>;
  formSubmissions: Array<{ formGuid: string; fields: Array<{ name: string; value: string }> }>;
}

/** `npm start`, paid once in Chromium on its demo page: the payment lands in the HubSpot sandbox. */
describe('npm start: a demo payment reaches HubSpot', function () {
  this.timeout(180_000);
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let browser: Browser;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-demo-hubspot-'));
    const env = { ...process.env };
    for (const name of Object.keys(env))
      if (/^(STRIPE_|HUBSPOT_)/.test(name) || ['DATABASE_URL', 'ONEPAGEPAY_ENCRYPTION_KEYS'].includes(name))
        delete env[name];
    const ports = { PORT: 0, STRIPE_SANDBOX_PORT: 0, HUBSPOT_SANDBOX_PORT: 0, DEMO_PORT: 0 };
    for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort();
    child = spawn('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        ...env,
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        ONEPAGEPAY_DATA_DIR: path.join(dataDir, 'pglite'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const startedAt = Date.now();
    while (!/Demo page:/.test(output) && Date.now() - startedAt < 120_000)
      await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(output, /Demo page:/, output);
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('holds the contact, deal, line item and form submission within seconds of paying', async () => {
    const demoUrl = /Demo page:\s+(\S+)/.exec(output)![1]!;
    const viewUrl = /what it received: (\S+)/.exec(output)?.[1];
    assert.ok(viewUrl, `the demo prints where HubSpot's records are:\n${output}`);

    const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    await page.goto(demoUrl);
    assert.equal(await page.locator('#hubspot-view').getAttribute('href'), viewUrl, 'the page links to it');
    const form = page.locator(`form[data-form-id="${DEMO_FORMS.legacyV2.guid}"]`);
    await form.locator('.opp-step iframe').waitFor();
    await form.locator('[name="email"]').fill('ada.lovelace@example.com');
    await form.locator('[name="firstname"]').fill('Ada');
    await form.locator('[name="lastname"]').fill('Lovelace');
    const card = form.frameLocator('.opp-step iframe');
    await card.locator('#Field-numberInput').fill('4242 4242 4242 4242');
    await card.locator('#Field-expiryInput').fill('12 / 34');
    await card.locator('#Field-cvcInput').fill('123');
    await card.locator('#Field-postalCodeInput').fill('10001');
    await form.locator('[type=submit]').click();
    const paidAt = Date.now();

    // The worker polls every second; HubSpot's records should follow within seconds. Deal and line
    // item are written first, their associations right after.
    let records: PortalRecords | undefined;
    const complete = (found: PortalRecords) =>
      found.lineItems.length > 0 && found.formSubmissions.length > 0 && found.associations.length >= 2;
    while (Date.now() - paidAt < 20_000) {
      records = (await (await fetch(`${viewUrl}/records`)).json()) as PortalRecords;
      if (complete(records)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (Date.now() - paidAt) / 1000;
    // Once seen in CI (not reproduced in 4 runs alone): nothing reached HubSpot. What the payer saw
    // and what the relay logged say where it stopped.
    const failure = async () =>
      `HubSpot incomplete after ${seconds}s: ${JSON.stringify(records)}\n` +
      `the page showed: ${JSON.stringify(await page.locator('body').innerText({ timeout: 2000 }).catch(String))}\n` +
      `npm start printed (last 3,000 characters): ${output.slice(-3000)}`;
    if (!records || !complete(records)) assert.fail(await failure());

    const submission = records.formSubmissions.find((entry) => entry.formGuid === DEMO_FORMS.legacyV2.guid);
    const submitted = Object.fromEntries(submission?.fields.map((field) => [field.name, field.value]) ?? []);
    const transactionId = submitted.onepagepay_transaction_id ?? '';
    assert.match(transactionId, UUID, JSON.stringify(records.formSubmissions));
    assert.equal(submitted.onepagepay_payment_status, 'succeeded');

    const contact = records.contacts.find((entry) => entry.properties.email === 'ada.lovelace@example.com');
    assert.ok(contact, JSON.stringify(records.contacts));
    assert.equal(contact.properties.firstname, 'Ada');
    const deal = records.deals.find((entry) => entry.properties.onepagepay_transaction_id === transactionId);
    assert.ok(deal, JSON.stringify(records.deals));
    assert.equal(deal.properties.amount, '49.00');
    const lineItem = records.lineItems.find(
      (entry) => entry.properties.onepagepay_transaction_id === transactionId,
    );
    assert.ok(lineItem, JSON.stringify(records.lineItems));
    assert.equal(lineItem.properties.name, DEMO_FORMS.legacyV2.product);
    const linked = (fromType: string, fromId: string, toType: string, toId: string) =>
      records!.associations.some(
        (edge) =>
          (edge.fromType === fromType &&
            edge.fromId === fromId &&
            edge.toType === toType &&
            edge.toId === toId) ||
          (edge.fromType === toType &&
            edge.fromId === toId &&
            edge.toType === fromType &&
            edge.toId === fromId),
      );
    assert.ok(linked('deals', deal.id, 'contacts', contact.id), JSON.stringify(records.associations));
    assert.ok(linked('deals', deal.id, 'line_items', lineItem.id), 'the line item is on the deal');

    // The human view shows the same records.
    const view = await browser.newPage();
    await view.goto(viewUrl);
    const text = await view.locator('body').innerText();
    for (const expected of ['ada.lovelace@example.com', transactionId, DEMO_FORMS.legacyV2.product])
      assert.ok(text.includes(expected), `the portal view shows ${expected}`);
    console.log(`      HubSpot held the contact, deal and line item ${seconds.toFixed(1)} s after the click`);
  });
});
