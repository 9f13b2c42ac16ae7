import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { serveDemoPage } from '../dev/demo-page.js';
import { inviteUser } from '../merchants/users.js';
import { GOOD_PASSWORD, signUpMerchant } from '../testing/merchant-fixtures.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';
import { heard, seriousViolations, signInInBrowser } from './dashboard-browser.js';

const FORM_GUID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

/** CSV rows as objects keyed by the header (the export quotes nothing this test writes). */
function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}

async function downloadCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  return readFile((await download.path())!, 'utf8');
}

describe('dashboard end to end in Chromium: signup to payment, refund, CSV, roles and tenants', function () {
  this.timeout(300_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let browser: Browser;
  const problems: string[] = [];
  const ownerEmail = `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const otherEmail = `other-${crypto.randomUUID().slice(0, 8)}@example.com`;
  let tenantId: string;
  let transactionId: string;
  let snippet: string;

  before(async () => {
    stripe = await startStripeSandbox();
    // No HubSpot worker: the dead-lettered sync this test makes stays dead until the owner replays it.
    relay = await startTestRelay(stripe, { env: { HUBSPOT_WORKER_ENABLED: 'false' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await stripe?.close();
  });

  it('signs up, sets up a form, an origin and the snippet, takes a payment, refunds it in two steps and exports it', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });
    const signup = await context.newPage();
    await signup.goto(`${relay.url}/dashboard`);
    await signup.getByRole('button', { name: 'New here? Create an account' }).click();
    await signup.getByLabel('Business name').fill('Clay & Kiln');
    await signup.getByLabel('Email').fill(ownerEmail);
    await signup.getByLabel(/^Password/).fill(GOOD_PASSWORD);
    await signup.getByRole('button', { name: 'Create account' }).click();
    await heard(signup, /inbox/);
    const token = relay.mailbox.signupTokenFor(ownerEmail);
    assert.ok(token, 'the verification mail arrived');
    await signup.close();
    // A fresh tab, as the link in the mail opens.
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${relay.url}/dashboard#token=${token}`);
    await page.getByRole('heading', { name: 'Transactions' }).waitFor();
    await page.getByText('No revenue in the last 30 days.').waitFor();

    await page.getByRole('link', { name: 'Forms and origins' }).click();
    await page.getByLabel('HubSpot form GUID').fill(FORM_GUID);
    await page.getByLabel('Product name').fill('Glazing course');
    await page.getByLabel('Currency (ISO code)').fill('EUR');
    await page.getByLabel('Amount in minor units (cents)').fill('12000');
    await page.getByRole('button', { name: 'Create form' }).click();
    await heard(page, 'Form created.');
    await page.getByLabel(/Sites that may take payments/).fill(PAGE_ORIGIN);
    await page.getByRole('button', { name: 'Save origins' }).click();
    await heard(page, 'Allowed origins saved.');
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await heard(page, 'Snippet copied.');
    snippet = (await page.evaluate('navigator.clipboard.readText()')) as string;
    tenantId = /data-tenant="([^"]+)"/.exec(snippet)?.[1] ?? '';
    assert.match(snippet, new RegExp(`data-relay="${relay.url}"`));

    // The payer's side, as the SDK does it on the merchant's page: Stripe.js makes the
    // PaymentMethod, the relay's public payment API charges it for the tenant from the snippet.
    const paymentMethod = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(tenantId, FORM_GUID, paymentMethod),
    );
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    transactionId = paid.body.transactionId as string;

    await page.getByRole('link', { name: 'Transactions' }).click();
    await page.getByRole('link', { name: 'Glazing course' }).waitFor();
    assert.match(
      (await page.locator('figure.chart figcaption').textContent()) ?? '',
      /\(EUR\): €120\.00/,
      'the chart counts the payment',
    );
    await page.getByRole('link', { name: 'Glazing course' }).click();
    await page.getByRole('heading', { name: 'Glazing course' }).waitFor();
    const payment = await relay.database.knex('transactions').where({ id: transactionId }).first();
    await page.getByText(payment.provider_payment_id, { exact: true }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByLabel(/Amount to refund/).fill('20');
    await page.getByRole('button', { name: 'Refund' }).click();
    await heard(page, 'Refunded €20.00.');
    await page.getByText('partially_refunded').waitFor();
    assert.equal(await page.getByLabel(/Amount to refund/).inputValue(), '100', 'the rest is offered next');
    await page.getByRole('button', { name: 'Refund' }).click();
    await heard(page, 'Refunded €100.00.');
    await page.getByText('refunded', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Refund' }).count(), 0, 'nothing left to refund');
    const refunds = stripe
      .requestLog()
      .filter((entry) => entry.method === 'POST' && entry.path === '/v1/refunds' && entry.status === 200);
    assert.equal(refunds.length, 2, 'two refunds at Stripe');
    const keys = await relay.database
      .knex('merchant_refunds')
      .where({ transaction_id: transactionId })
      .pluck('idempotency_key');
    assert.equal(new Set(keys).size, 2, 'each refund had its own Idempotency-Key');

    await page.getByRole('link', { name: 'All transactions' }).click();
    await page.getByRole('link', { name: 'Glazing course' }).waitFor();
    await page.locator('figure.chart figcaption', { hasText: '€0.00' }).waitFor();
    await page.getByLabel('Status').selectOption('refunded');
    await page.getByRole('button', { name: 'Filter' }).click();
    await heard(page, '1 transactions shown.');
    const rows = parseCsv(await downloadCsv(page));
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [
        rows[0]!.id,
        rows[0]!.status,
        rows[0]!.amount_minor,
        rows[0]!.amount_refunded_minor,
        rows[0]!.currency,
      ],
      [transactionId, 'refunded', '12000', '12000', 'EUR'],
    );
    assert.equal(rows[0]!.provider_payment_id, payment.provider_payment_id);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await heard(page, '0 transactions shown.');
    assert.deepEqual(parseCsv(await downloadCsv(page)), [], 'the export follows the filters');
    await context.close();
  });

  it("pins the copied snippet to the CDN file's bytes: Chromium runs the file as served and refuses one changed byte", async () => {
    const src = /src="([^"]+)"/.exec(snippet)?.[1] ?? '';
    const integrity = /integrity="([^"]+)"/.exec(snippet)?.[1] ?? '';
    assert.match(
      src,
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/@onepagepay\/cdn@([\w.-]+)\/dist\/onepagepay-\1\.min\.js$/,
    );
    assert.match(snippet, /crossorigin="anonymous"/);
    // The demo page bundles the CDN script from the sources on its own, as `npm start` serves it.
    const demo = await serveDemoPage({
      relayUrl: relay.url,
      tenantId,
      formGuids: [FORM_GUID],
      stripeSandboxUrl: stripe.url,
      port: 0,
    });
    const served = Buffer.from(await (await fetch(`${demo.url}onepagepay.min.js`)).arrayBuffer());
    await demo.close();
    assert.equal(integrity, `sha384-${createHash('sha384').update(served).digest('base64')}`);

    const runs = async (bytes: Buffer) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // The merchant's page with the snippet pasted as copied; the CDN answers with `bytes`.
      await page.route(src, (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          headers: { 'access-control-allow-origin': '*' },
          body: bytes,
        }),
      );
      await page.route(`${PAGE_ORIGIN}/`, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Shop</title>${snippet}` }),
      );
      await page.goto(`${PAGE_ORIGIN}/`, { waitUntil: 'load' });
      const ran = (await page.evaluate('typeof window.OnePagePay')) !== 'undefined';
      await context.close();
      return ran;
    };
    assert.equal(await runs(served), true, 'the file as served runs under the snippet');
    assert.equal(await runs(Buffer.concat([served, Buffer.from(';')])), false, 'a changed file is refused');
  });

  it('lets the owner replay a dead-lettered HubSpot sync from the transaction page', async () => {
    const knex = relay.database.knex;
    await knex('outbox').insert({
      tenant_id: tenantId,
      livemode: false,
      topic: 'hubspot.transaction',
      dedupe_key: `hubspot.transaction:${transactionId}:dashboard-flow`,
      transaction_id: transactionId,
      status: 'dead',
      attempts: 8,
    });
    await knex('transactions').where({ id: transactionId }).update({ hubspot_sync_state: 'failed' });
    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await page.goto(`${relay.url}/dashboard#/transactions/${transactionId}`);
    await page.getByRole('button', { name: 'Retry HubSpot sync' }).click();
    await heard(page, 'HubSpot sync queued again.');
    await page.getByText('pending', { exact: true }).waitFor();
    const job = await knex('outbox')
      .where({ dedupe_key: `hubspot.transaction:${transactionId}:dashboard-flow` })
      .first();
    assert.deepEqual([job.status, job.attempts], ['pending', 0]);
    const audited = await knex('audit_events').where({ tenant_id: tenantId, action: 'hubspot.replayed' });
    assert.equal(audited.length, 1);
    await page.context().close();
  });

  it('shows a member the transaction without refund or replay, and the API refuses the refund', async () => {
    await relay.database
      .knex('transactions')
      .where({ id: transactionId })
      .update({ hubspot_sync_state: 'failed' });
    await inviteUser(
      relay.database.knex,
      { tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const page = await signInInBrowser(browser, relay.url, memberEmail, problems);
    await page.getByRole('link', { name: 'Glazing course' }).click();
    await page.getByRole('heading', { name: 'Glazing course' }).waitFor();
    await page.getByText('failed', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Refund|Retry/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'API keys' }).count(), 0);
    const refused = (await page.evaluate(
      `fetch('/v1/transactions/${transactionId}/refunds', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: '{}',
      }).then((response) => response.status)`,
    )) as number;
    assert.ok(refused === 403, `a member's refund is refused (${refused})`);
    await page.context().close();
  });

  it("shows tenant B nothing of tenant A's: no rows, no chart, no detail, no contact, an empty CSV", async () => {
    await signUpMerchant(relay, otherEmail);
    const page = await signInInBrowser(browser, relay.url, otherEmail, problems);
    await page.getByRole('button', { name: 'Filter' }).click();
    await heard(page, '0 transactions shown.');
    await page.getByText('No revenue in the last 30 days.').waitFor();
    assert.deepEqual(parseCsv(await downloadCsv(page)), []);
    await page.goto(`${relay.url}/dashboard#/transactions/${transactionId}`);
    await page
      .getByRole('status')
      .filter({ hasText: /not found|No such/i })
      .waitFor();
    assert.equal(await page.getByText('Glazing course').count(), 0);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Find' }).click();
    await heard(page, '0 contacts shown.');
    await page.getByRole('link', { name: 'Forms and origins' }).click();
    await page.getByRole('heading', { name: /^Forms/ }).waitFor();
    assert.equal(await page.getByText(FORM_GUID).count(), 0);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
