import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { seriousViolations, signInInBrowser } from './dashboard-browser.js';
import { inviteUser } from '../merchants/users.js';
import { GOOD_PASSWORD, seedTransactions } from '../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

const JS_BUDGET_GZIP_BYTES = 60 * 1024;

describe('GET /dashboard: the merchant dashboard in Chromium', function () {
  this.timeout(240_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let browser: Browser;
  let ownerEmail: string;
  let memberEmail: string;
  let tenantId: string;
  const problems: string[] = [];
  const foreign: string[] = [];

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    ownerEmail = `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
    browser = await launchChromium();
    tenantId = await signUpInBrowser(ownerEmail);
    memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await inviteUser(
      relay.database.knex,
      { tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    await seedTransactions(relay.database.knex, tenantId, { count: 3, product: 'Seeded workshop' });
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await stripe?.close();
  });

  /** Signup as a new merchant does it: the dashboard's form, then the link from the mail. */
  async function signUpInBrowser(email: string): Promise<string> {
    const page = await browser.newPage();
    await page.goto(`${relay.url}/dashboard`);
    await page.getByRole('button', { name: 'New here? Create an account' }).click();
    await page.getByLabel('Business name').fill('Clay & Kiln');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: /inbox/ }).waitFor();
    const token = relay.mailbox.signupTokenFor(email);
    assert.ok(token, 'the verification mail arrived');
    await page.close();
    // A fresh tab, as the link in the mail opens.
    const linked = await browser.newPage();
    await linked.goto(`${relay.url}/dashboard#token=${token}`);
    await linked.getByRole('heading', { name: 'Transactions' }).waitFor();
    assert.equal(new URL(linked.url()).hash, '', 'the token leaves the address bar');
    const session = (await linked.evaluate(
      "fetch('/v1/merchant/session').then((response) => response.json())",
    )) as { tenantId: string; user: { role: string } };
    assert.equal(session.user.role, 'owner');
    await linked.close();
    return session.tenantId;
  }

  const openSignedIn = (email: string): Promise<Page> =>
    signInInBrowser(browser, relay.url, email, problems, foreign);

  it('is served under a strict CSP with JavaScript under its gzip budget', async () => {
    const response = await fetch(`${relay.url}/dashboard`);
    assert.equal(response.status, 200);
    const csp = String(response.headers.get('content-security-policy'));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    const page = await response.text();
    assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    const script = await fetch(`${relay.url}/dashboard/app.js`);
    assert.match(String(script.headers.get('content-type')), /javascript/);
    const gzipped = gzipSync(Buffer.from(await script.arrayBuffer())).length;
    assert.ok(gzipped < JS_BUDGET_GZIP_BYTES, `dashboard JS is ${gzipped} bytes gzip`);
    console.log(`      dashboard JS: ${gzipped} bytes gzip`);
  });

  it('lets an owner sign in, set up a form, origins and the snippet, and read transactions', async () => {
    const started = Date.now();
    const page = await openSignedIn(ownerEmail);
    await page.getByRole('cell', { name: 'Seeded workshop' }).first().waitFor();
    console.log(`      signed in to transactions shown: ${Date.now() - started} ms`);
    const chart = await page.locator('figure.chart figcaption').textContent();
    assert.match(chart ?? '', /Revenue by day, last 30 days \(USD\): \$147\.00/);
    assert.equal(await page.locator('figure.chart rect').count(), 30, 'one bar per day');
    assert.equal(
      await page.getByRole('table', { name: 'Transactions, newest first' }).getByRole('row').count(),
      4,
      'a header and 3 transactions',
    );
    await page.getByRole('link', { name: 'Seeded workshop' }).first().click();
    await page.getByRole('heading', { name: 'Seeded workshop' }).waitFor();
    assert.ok(await page.getByRole('button', { name: /^Refund/ }).isVisible(), 'owners may refund');

    await page.getByRole('link', { name: 'Forms and origins' }).click();
    await page.getByLabel('HubSpot form GUID').fill('0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b');
    await page.getByLabel('Product name').fill('Glazing course');
    await page.getByLabel('Currency (ISO code)').fill('EUR');
    await page.getByLabel('Amount in minor units (cents)').fill('12000');
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.getByRole('status').filter({ hasText: 'Form created.' }).waitFor();
    await page.getByRole('cell', { name: 'Glazing course', exact: true }).waitFor();
    await page.getByLabel(/Sites that may take payments/).fill('https://shop.example.com');
    await page.getByRole('button', { name: 'Save origins' }).click();
    await page.getByRole('status').filter({ hasText: 'Allowed origins saved.' }).waitFor();
    const snippet = await page.locator('#snippet').textContent();
    assert.match(snippet ?? '', new RegExp(`data-tenant="${tenantId}"`));
    assert.match(snippet ?? '', new RegExp(`data-relay="${relay.url}"`));

    const form = await relay.database
      .knex('forms')
      .where({ tenant_id: tenantId, product_name: 'Glazing course' })
      .first();
    assert.deepEqual([form.amount, form.currency, form.livemode], [12000, 'EUR', false]);
    const tenant = await relay.database.knex('tenants').where({ id: tenantId }).first();
    assert.deepEqual(tenant.allowed_origins, ['https://shop.example.com']);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'Transactions' }).click();
    await page.getByRole('heading', { name: 'Transactions' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
  });

  it('shows a member no refund and no way to change forms', async () => {
    const page = await openSignedIn(memberEmail);
    await page.getByRole('link', { name: 'Seeded workshop' }).first().click();
    await page.getByRole('heading', { name: 'Seeded workshop' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Refund/ }).count(), 0);
    await page.getByRole('link', { name: 'Forms and origins' }).click();
    await page.getByRole('cell', { name: 'Glazing course', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create form' }).count(), 0);
  });

  it('tells a wrong password in an alert, and loaded nothing from other hosts and broke no CSP rule', async () => {
    const page = await browser.newPage();
    await page.goto(`${relay.url}/dashboard`);
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByLabel('Password').fill('not-the-password-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /./ }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    assert.deepEqual(foreign, []);
  });
});
