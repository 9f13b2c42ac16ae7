import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { heard, seriousViolations, signInInBrowser } from './dashboard-browser.js';
import { GOOD_PASSWORD, signUpMerchant } from '../testing/merchant-fixtures.js';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../testing/test-relay.js';

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
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
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

  it('invites a member from the Team page; the invitee joins from the mailed link, then turns on 2FA', async () => {
    const ownerEmail = `team-owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const invitee = `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { tenantId } = await signUpMerchant(relay, ownerEmail);
    const problems: string[] = [];
    const owner = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    await owner.getByRole('link', { name: 'Team' }).click();
    await owner.getByLabel(/Your password/).fill(GOOD_PASSWORD);
    await owner.getByLabel('Their email').fill(invitee);
    await owner.getByLabel('Role', { exact: true }).selectOption('member');
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await heard(owner, `Invitation sent to ${invitee}.`);
    await owner.getByRole('cell', { name: invitee, exact: true }).waitFor();
    assert.deepEqual(await seriousViolations(owner), []);
    const token = relay.mailbox.invitationTokenFor(invitee);
    assert.ok(token, 'the invitation mail arrived');

    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${relay.url}/dashboard#invite=${token}`);
    await page.getByRole('heading', { name: 'Join your team on OnePagePay' }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel(/Choose a password/).fill('amber-lantern-quarry-77');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await heard(page, 'Welcome to the team.');
    await page.getByText(`${invitee} (member)`).waitFor();
    await page.getByLabel('Your password').fill('amber-lantern-quarry-77');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await heard(page, 'Two-factor authentication is on.');
    const user = await relay.database.knex('merchant_users').where({ email: invitee }).first();
    assert.deepEqual([user.tenant_id, user.role, user.totp_enabled_at !== null], [tenantId, 'member', true]);

    // The owner's list no longer offers the used invitation.
    await owner.reload();
    await owner.getByRole('link', { name: 'Team' }).click();
    await owner.getByRole('cell', { name: invitee, exact: true }).waitFor();
    assert.equal(await owner.getByRole('button', { name: `Revoke invitation to ${invitee}` }).count(), 0);
    assert.deepEqual(problems, []);
    await owner.context().close();
    await page.context().close();
  });

  it('pages through the audit log, 25 events at a time, with the keyset cursor', async () => {
    const ownerEmail = `audit-owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { tenantId } = await signUpMerchant(relay, ownerEmail);
    const knex = relay.database.knex;
    const start = Date.now() - 3_600_000;
    await knex('audit_events').insert(
      Array.from({ length: 30 }, (_, i) => ({
        tenant_id: tenantId,
        livemode: false,
        account_level: true,
        action: `test.event_${String(i).padStart(2, '0')}`,
        outcome: 'success',
        actor_type: 'cli',
        details: '{}',
        occurred_at: new Date(start + i * 1000),
      })),
    );
    const problems: string[] = [];
    const page = await signInInBrowser(browser, relay.url, ownerEmail, problems);
    const total = Number((await knex('audit_events').where({ tenant_id: tenantId }).count({ n: '*' }))[0]!.n);
    await page.getByRole('link', { name: 'Settings' }).click();
    const rows = page.getByRole('table', { name: 'Audit log' }).getByRole('row');
    await page.getByRole('cell', { name: 'login.succeeded' }).first().waitFor();
    assert.equal(await rows.count(), 1 + 25);
    const pager = page.getByRole('navigation', { name: 'Audit log pages' });
    await pager.getByRole('button', { name: 'Older' }).click();
    await heard(page, `${total - 25} audit events shown.`);
    await page.getByRole('cell', { name: 'test.event_00' }).waitFor();
    assert.equal(await rows.count(), 1 + total - 25);
    assert.equal(await pager.getByRole('button', { name: 'Older' }).isDisabled(), true);
    await pager.getByRole('button', { name: 'Newer' }).click();
    await heard(page, '25 audit events shown.');
    await page.getByRole('cell', { name: 'login.succeeded' }).first().waitFor();
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
