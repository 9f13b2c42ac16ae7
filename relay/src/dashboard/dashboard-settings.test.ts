import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { seriousViolations } from './dashboard-browser.js';
import { GOOD_PASSWORD, signUpMerchant } from '../testing/merchant-fixtures.js';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../testing/test-relay.js';

/** docs/img is rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
const screenshotTo = (path: string) => (process.env.UPDATE_SCREENSHOTS ? { path } : {});

describe('dashboard settings in Chromium: 2FA enrolment, TOTP and recovery sign-in, live mode', function () {
  this.timeout(240_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let browser: Browser;
  let email: string;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: { ONEPAGEPAY_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, HUBSPOT_WORKER_ENABLED: 'false' },
    });
    email = `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await signUpMerchant(relay, email);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await stripe?.close();
  });

  async function signIn(page: Page, second?: { totp?: string; recovery?: string }) {
    await page.goto(`${relay.url}/dashboard`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(GOOD_PASSWORD);
    if (second?.recovery) {
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(second.recovery);
    }
    if (second?.totp) await page.getByLabel(/Authenticator code/).fill(second.totp);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Transactions' }).waitFor();
  }

  it('enrols 2FA, then signs in with a TOTP code, switches to live, and signs in with a recovery code', async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Audit log (latest 50)' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ ...screenshotTo('docs/img/dashboard-settings.png') });
    await page.getByLabel('Your password').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('#recovery-codes li').first().waitFor();
    const codes = await page.locator('#recovery-codes li').allTextContents();
    assert.equal(codes.length, 10);
    assert.ok(
      await page.getByRole('status').filter({ hasText: 'Two-factor authentication is on' }).isVisible(),
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to OnePagePay' }).waitFor();
    // The step after the enrolment's: a TOTP code is accepted once.
    await signIn(page, { totp: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    await page.getByRole('button', { name: 'Switch to live' }).click();
    await page.getByText('Live mode', { exact: true }).waitFor();
    assert.ok(await page.getByRole('status').filter({ hasText: 'Switched to live mode.' }).isVisible());

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, { recovery: codes[0]!.trim() });
    const events = (await relay.database.knex('audit_events').select('action')).map((row) => row.action);
    assert.ok(events.includes('two_factor.enabled'), events.join());
  });

  it('refuses the password alone once 2FA is on, in a message read out as an alert', async () => {
    const page = await browser.newPage();
    await page.goto(`${relay.url}/dashboard`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /./ }).waitFor();
  });
});
