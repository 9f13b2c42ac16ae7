/**
 * Writes the dashboard screenshots docs/merchants.md shows (docs/img/dashboard-*.png): a real relay
 * on PGlite with the demo tenant, its owner and a few payments, driven in Chromium (playwright-core
 * and /usr/bin/chromium or CHROME_PATH). 960 px wide, the visible part only, so each PNG stays small.
 *
 *   node --conditions=@onepagepay/source --import tsx scripts/dashboard-screenshots.ts
 */
import { fileURLToPath } from 'node:url';
import { startStripeSandbox } from '@onepagepay/sandbox';
import type { Page } from 'playwright-core';
import { DEMO_MERCHANT, seedDemo, seedDemoMerchant } from '../relay/src/dev/seed-demo.js';
import { GOOD_PASSWORD, seedTransactions } from '../relay/src/testing/merchant-fixtures.js';
import { startTestRelay } from '../relay/src/testing/test-relay.js';
import { inviteUser } from '../relay/src/merchants/users.js';
import { launchChromium } from '../test/support/browser.js';

const IMG = fileURLToPath(new URL('../docs/img/', import.meta.url));

const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
const relay = await startTestRelay(stripe, { env: { HUBSPOT_WORKER_ENABLED: 'false' } });
const browser = await launchChromium();
try {
  const knex = relay.database.knex;
  const { tenant } = await seedDemo(knex, ['https://shop.example.com']);
  await seedDemoMerchant(knex, tenant.id);
  await inviteUser(
    knex,
    { tenantId: tenant.id, email: 'clerk@example.com', password: GOOD_PASSWORD, role: 'member' },
    { type: 'cli', id: null, ip: null, userAgent: null },
  );
  const { transactionIds } = await seedTransactions(knex, tenant.id, {
    count: 6,
    email: 'ada@example.com',
    product: 'Glazing course',
  });
  await seedTransactions(knex, tenant.id, { count: 4, email: 'grace@example.com', product: 'Raku firing' });
  await knex('transactions')
    .whereIn('id', transactionIds.slice(0, 4))
    .update({ hubspot_sync_state: 'synced' });

  const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${relay.url}/dashboard`);
  await page.getByLabel('Email').fill(DEMO_MERCHANT.email);
  await page.getByLabel('Password').fill(DEMO_MERCHANT.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Transactions' }).waitFor();

  const shoot = async (name: string, ready: (page: Page) => Promise<void>) => {
    await ready(page);
    // The fixed status line would cover the bottom of the picture.
    await page.evaluate("document.querySelector('.status')?.replaceChildren()");
    await page.screenshot({ path: `${IMG}dashboard-${name}.png` });
    console.log(`docs/img/dashboard-${name}.png`);
  };
  await shoot('transactions', async (p) => {
    await p.getByRole('link', { name: 'Glazing course' }).first().waitFor();
  });
  await shoot('transaction', async (p) => {
    await p.getByRole('link', { name: 'Glazing course' }).first().click();
    await p.getByRole('heading', { name: 'Glazing course' }).waitFor();
  });
  await shoot('contacts', async (p) => {
    await p.getByRole('link', { name: 'Contacts' }).click();
    await p.getByRole('cell', { name: 'grace@example.com' }).waitFor();
  });
  await shoot('forms', async (p) => {
    await p.getByRole('link', { name: 'Forms and origins' }).click();
    await p.getByRole('button', { name: 'Copy snippet' }).waitFor();
    await p.locator('#snippet').scrollIntoViewIfNeeded();
  });
  await shoot('hubspot', async (p) => {
    await p.getByRole('link', { name: 'HubSpot' }).click();
    await p.locator('#hubspot-sync').waitFor();
  });
  await shoot('team', async (p) => {
    await p.getByRole('link', { name: 'Team' }).click();
    await p.getByRole('cell', { name: 'clerk@example.com', exact: true }).waitFor();
  });
  await shoot('settings', async (p) => {
    await p.getByRole('link', { name: 'Settings' }).click();
    await p.getByRole('cell', { name: 'login.succeeded' }).first().waitFor();
  });
} finally {
  await browser.close();
  await relay.close();
  await stripe.close();
}
