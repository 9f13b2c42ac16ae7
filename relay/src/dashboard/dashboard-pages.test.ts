import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { inviteUser } from '../merchants/users.js';
import { GOOD_PASSWORD, seedTransactions, signUpMerchant } from '../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';
import { heard, seriousViolations, signInInBrowser } from './dashboard-browser.js';

describe('dashboard pages in Chromium: contacts, HubSpot, API keys, team', function () {
  this.timeout(240_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let browser: Browser;
  let tenantId: string;
  const problems: string[] = [];
  const ownerEmail = `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const payerEmail = `payer-${crypto.randomUUID().slice(0, 8)}@example.com`;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: {
        HUBSPOT_WORKER_ENABLED: 'false',
        HUBSPOT_CLIENT_ID: 'dashboard-pages-app',
        HUBSPOT_CLIENT_SECRET: 'dashboard-pages-secret',
        HUBSPOT_REDIRECT_URI: 'https://relay.example/v1/hubspot/oauth/callback',
      },
    });
    tenantId = (await signUpMerchant(relay, ownerEmail)).tenantId;
    await inviteUser(
      relay.database.knex,
      { tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await stripe?.close();
  });

  it('lists contacts, finds one by email and shows its transactions, linked to their detail', async () => {
    const knex = relay.database.knex;
    await seedTransactions(knex, tenantId, { count: 2, email: payerEmail, product: 'Raku firing' });
    await seedTransactions(knex, tenantId, { count: 1, product: 'Other payer' });
    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.getByRole('cell', { name: payerEmail }).waitFor();
    assert.equal(
      await page.getByRole('table', { name: 'Contacts, newest first' }).getByRole('row').count(),
      3,
    );
    await page.getByLabel('Email').fill(payerEmail);
    await page.getByRole('button', { name: 'Find' }).click();
    await heard(page, '1 contacts shown.');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    const table = page.getByRole('table', { name: `Transactions of ${payerEmail}` });
    await table.getByRole('link', { name: 'Raku firing' }).first().waitFor();
    assert.equal(await table.getByRole('row').count(), 3, 'a header and its 2 transactions');
    assert.equal(await page.getByText('Other payer').count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
    await table.getByRole('link', { name: 'Raku firing' }).first().click();
    await page.getByRole('heading', { name: 'Raku firing' }).waitFor();
    await page.getByRole('link', { name: payerEmail }).waitFor();
    await page.context().close();
  });

  it('shows the HubSpot connection, sync counts and missing form fields, and sends owners to the install link', async () => {
    const knex = relay.database.knex;
    const { form } = await seedTransactions(knex, tenantId, { count: 1, product: 'Checked form' });
    await knex('forms')
      .where({ id: form.id })
      .update({
        hubspot_form_check: JSON.stringify({
          checkedAt: new Date().toISOString(),
          fields: [{ name: 'email', required: true }],
          missingFields: ['onepagepay_transaction_id'],
        }),
      });
    await knex('transactions')
      .where({ tenant_id: tenantId, product_name: 'Raku firing' })
      .update({ hubspot_sync_state: 'failed' });

    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await page.getByRole('link', { name: 'HubSpot' }).click();
    await page.getByRole('heading', { name: 'HubSpot (test mode)' }).waitFor();
    assert.equal(await page.locator('#hubspot-status').textContent(), 'Not connected');
    assert.match((await page.locator('#hubspot-sync').textContent()) ?? '', /2 failed/);
    const row = page.getByRole('row').filter({ hasText: 'Checked form' });
    await row.getByRole('cell', { name: 'onepagepay_transaction_id' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    // The install link is the relay's public OAuth start (here a host the test keeps offline).
    await page.context().route('https://relay.example/**', (route) => route.abort());
    const [install] = await Promise.all([
      page.waitForRequest((request) =>
        request.url().startsWith('https://relay.example/v1/hubspot/oauth/start'),
      ),
      page.getByRole('button', { name: 'Connect HubSpot' }).click(),
    ]);
    const ticket = new URL(install.url()).searchParams.get('ticket') ?? '';
    const claims = JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString()) as { t: string };
    assert.equal(claims.t, tenantId);
    await page.context().close();

    await knex('hubspot_connections').insert({
      tenant_id: tenantId,
      livemode: false,
      portal_id: 515151,
      auth_kind: 'oauth',
      access_token: 'k1.sealed',
      status: 'broken',
      broken_reason: 'The app lost the crm.objects.contacts.write scope.',
    });
    const member = await signInInBrowser(browser, relay.url, memberEmail, problems);
    await member.getByRole('link', { name: 'HubSpot' }).click();
    await member.getByText('515151').waitFor();
    assert.match((await member.locator('#hubspot-status').textContent()) ?? '', /^Broken/);
    await member.getByText('The app lost the crm.objects.contacts.write scope.').waitFor();
    assert.equal(await member.getByRole('button', { name: /Connect HubSpot/ }).count(), 0, 'owners only');
    await member.context().close();
  });

  it('lets an owner create an API key (secret shown once, it works), then revoke it; members never see keys', async () => {
    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys (test mode)' }).waitFor();
    await page.getByLabel('Name').fill('Accounting export');
    await page.getByLabel(/Your password/).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Create key' }).click();
    await heard(page, /API key created/);
    const secret = (await page.locator('#key-secret').textContent()) ?? '';
    assert.match(secret, /^opp_test_/);
    const withKey = () =>
      fetch(`${relay.url}/v1/transactions?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await withKey()).status, 200);
    const row = page.getByRole('row').filter({ hasText: 'Accounting export' });
    assert.match((await row.textContent()) ?? '', /transactions:read, contacts:read/);
    assert.deepEqual(await seriousViolations(page), []);
    await row.getByRole('button', { name: 'Revoke Accounting export' }).click();
    await heard(page, 'Key Accounting export revoked.');
    await row.getByRole('cell', { name: 'revoked' }).waitFor();
    assert.equal((await withKey()).status, 401);
    await page.reload();
    await page.getByRole('heading', { name: 'API keys (test mode)' }).waitFor();
    await page.getByRole('cell', { name: 'revoked' }).waitFor();
    assert.equal(await page.locator('#key-secret').count(), 0, 'the secret is never shown again');
    await page.context().close();

    const member = await signInInBrowser(browser, relay.url, memberEmail, problems);
    assert.equal(await member.getByRole('link', { name: 'API keys' }).count(), 0);
    await member.goto(`${relay.url}/dashboard#/api-keys`);
    await member.getByRole('heading', { name: 'Transactions' }).waitFor();
    assert.deepEqual(problems, []);
    await member.context().close();
  });
  it('warns on every page while the connected Stripe account has disconnected OnePagePay', async () => {
    const knex = relay.database.knex;
    const account = `acct_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await knex('tenants').where({ id: tenantId }).update({ stripe_account_id: account });
    await knex('stripe_deauthorized_accounts').insert({ account_id: account, event_id: `evt_${account}` });
    try {
      const page = await signInInBrowser(browser, relay.url, memberEmail, problems);
      const notice = page.getByRole('region', { name: 'Stripe is disconnected' });
      await notice.getByText(account).waitFor();
      await page.getByRole('link', { name: 'Forms and origins' }).click();
      await page.getByRole('heading', { name: /^Forms/ }).waitFor();
      assert.equal(await notice.count(), 1, 'still shown on the next page');
      assert.deepEqual(await seriousViolations(page), []);
      await page.context().close();
    } finally {
      await knex('stripe_deauthorized_accounts').where({ account_id: account }).delete();
      await knex('tenants').where({ id: tenantId }).update({ stripe_account_id: null });
    }
    const page = await signInInBrowser(browser, relay.url, memberEmail, problems);
    await page.getByRole('link', { name: 'Forms and origins' }).click();
    await page.getByRole('heading', { name: /^Forms/ }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Stripe is disconnected' }).count(), 0);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('lets an owner make a member an owner and back, and refuses to leave the tenant without an owner', async () => {
    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    await page.getByRole('cell', { name: memberEmail, exact: true }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Users and roles' }).getByRole('row').count(), 3);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel(/Your password/).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: `Make ${memberEmail} an owner` }).click();
    await heard(page, `${memberEmail} is now an owner.`);
    const promoted = await signInInBrowser(browser, relay.url, memberEmail, problems);
    await promoted.getByRole('link', { name: 'API keys' }).waitFor();
    await promoted.context().close();

    await page.getByRole('button', { name: `Make ${memberEmail} a member` }).click();
    await heard(page, `${memberEmail} is now a member.`);
    await page.getByRole('button', { name: `Make ${ownerEmail} a member` }).click();
    await heard(page, /only owner/);
    const roles = await relay.database.knex('merchant_users').where({ tenant_id: tenantId }).pluck('role');
    assert.deepEqual(roles.sort(), ['member', 'owner']);
    const changes = await relay.database
      .knex('audit_events')
      .where({ tenant_id: tenantId, action: 'user.role_changed' });
    assert.equal(changes.length, 2);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
