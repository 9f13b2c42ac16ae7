import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startNpmApp } from '../../examples/npm-app/serve.js';
import { launchChromium } from '../support/browser.js';

// examples/npm-app: the app bundled with esbuild from @onepagepay/sdk pays in Chromium.
describe('examples/npm-app end to end (Chromium)', function () {
  this.timeout(60_000);
  let app: Awaited<ReturnType<typeof startNpmApp>>;
  let browser: Browser;

  before(async () => {
    app = await startNpmApp({ port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('pays with 4242 and shows the transaction the SDK reported', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.locator('#status', { hasText: 'Ready to pay.' }).waitFor();
    await page.fill('[name="0-1/email"]', 'ada@example.com');
    await page.fill('[name="0-1/firstname"]', 'Ada');
    await page.fill('[name="0-1/lastname"]', 'Lovelace');
    const card = page.frameLocator('.opp-step iframe');
    await card.locator('#Field-numberInput').fill('4242 4242 4242 4242');
    await card.locator('#Field-expiryInput').fill('12 / 34');
    await card.locator('#Field-cvcInput').fill('123');
    await card.locator('#Field-postalCodeInput').fill('10001');
    await page.click('button[type=submit]');
    await page.locator('#status', { hasText: 'Paid: transaction' }).waitFor();
    const id = (await page.textContent('#status'))!.replace('Paid: transaction ', '');
    const row = await app.relay.database
      .knex('transactions')
      .where({ id })
      .first('status', 'amount', 'currency');
    assert.deepEqual(row, { status: 'succeeded', amount: 2900, currency: 'EUR' });
  });
});
