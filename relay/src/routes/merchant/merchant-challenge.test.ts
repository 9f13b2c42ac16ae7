import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  startChallengeSandbox,
  startStripeSandbox,
  type ChallengeSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { inTenantTransaction } from '../../db/tenant-scope.js';
import { inviteUser } from '../../merchants/users.js';
import { rotateSecrets } from '../../secrets/rotate-secrets.js';
import {
  GOOD_PASSWORD,
  logInMerchant,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { createCardPaymentMethod, paymentRequest, postJson } from '../../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

const KEY_1 = `k1:${randomBytes(32).toString('base64')}`;

describe('merchant API: the tenant’s CAPTCHA policy and own Turnstile/hCaptcha keys', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let captcha: ChallengeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let member: MerchantClient;
  let other: MerchantClient;

  before(async () => {
    [stripe, captcha] = await Promise.all([startStripeSandbox(), startChallengeSandbox()]);
    // No relay-wide keys: only tenants that bring their own are asked. The fake answers siteverify.
    relay = await startTestRelay(stripe, {
      env: { ONEPAGEPAY_ENCRYPTION_KEYS: KEY_1, CHALLENGE_VERIFY_URL: captcha.turnstileVerifyUrl },
    });
    owner = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    other = await signUpMerchant(relay, `other-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await inviteUser(
      relay.database.knex,
      { tenantId: owner.tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    member = (await logInMerchant(relay.url, { email: memberEmail, password: GOOD_PASSWORD })).client!;
  });
  after(async () => {
    await relay?.close();
    await Promise.all([stripe?.close(), captcha?.close()]);
  });

  const tenantRow = (id: string) => relay.database.knex('tenants').where({ id }).first();
  const hcaptchaKeys = () => ({
    provider: 'hcaptcha',
    siteKey: captcha.hcaptcha.siteKey,
    secretKey: captcha.hcaptcha.secretKey,
  });

  it('starts off; an owner sets hCaptcha keys: sealed in the database, never shown, audited', async () => {
    const initial = await member.get('/v1/merchant/challenge');
    assert.equal(initial.status, 200);
    assert.deepEqual(initial.body, { policy: 'off', keys: null, relayKeys: false, active: false });

    const saved = await owner.post('/v1/merchant/challenge', { policy: 'always', keys: hcaptchaKeys() });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body, {
      policy: 'always',
      keys: { provider: 'hcaptcha', siteKey: captcha.hcaptcha.siteKey, secretKeySet: true },
      relayKeys: false,
      active: true,
    });
    assert.equal(
      JSON.stringify((await member.get('/v1/merchant/challenge')).body).includes(captcha.hcaptcha.secretKey),
      false,
    );
    const row = await tenantRow(owner.tenantId);
    assert.equal(row.challenge, 'always');
    assert.match(row.challenge_secret, /^v1\.k1\./, 'sealed with the current key');
    assert.equal(row.challenge_secret.includes(captcha.hcaptcha.secretKey), false);
    assert.equal((await tenantRow(other.tenantId)).challenge, 'off', "another tenant's policy is untouched");

    const events = (await owner.get('/v1/audit-events?limit=100')).body.data as Array<{
      action: string;
      details: Record<string, unknown>;
    }>;
    const event = events.find((entry) => entry.action === 'challenge.updated');
    assert.deepEqual(event?.details, {
      policy: 'always',
      keys: { provider: 'hcaptcha', siteKey: captcha.hcaptcha.siteKey },
    });
    assert.equal(JSON.stringify(events).includes(captcha.hcaptcha.secretKey), false, 'no secret in the log');
  });

  it('payers of that tenant get its widget and are verified with its secret at hCaptcha’s siteverify', async () => {
    await relay.database
      .knex('tenants')
      .where({ id: owner.tenantId })
      .update({ allowed_origins: ['https://shop.example.com'] });
    const { form } = await seedTransactions(relay.database.knex, owner.tenantId, { count: 0 });
    const config = await sendJson(relay.url, 'GET', `/v1/forms/${owner.tenantId}/${form.hubspotFormGuid}`);
    assert.deepEqual(config.body.challenge, {
      provider: 'hcaptcha',
      siteKey: captcha.hcaptcha.siteKey,
      policy: 'always',
      scriptUrl: `${captcha.url}/1/api.js`,
    });
    const pay = async (extra: Record<string, unknown>) =>
      postJson<{ error?: { code: string } }>(
        `${relay.url}/v1/payments`,
        paymentRequest(
          owner.tenantId,
          form.hubspotFormGuid,
          await createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, '4242424242424242'),
          extra,
        ),
        { origin: 'https://shop.example.com' },
      );
    assert.equal((await pay({})).body.error?.code, 'challenge_required');
    const turnstileToken = captcha.solve(captcha.turnstile.siteKey);
    assert.equal(
      (await pay({ challengeToken: turnstileToken })).body.error?.code,
      'challenge_failed',
      'a token of another site is refused',
    );
    const paid = await pay({ challengeToken: captcha.solve(captcha.hcaptcha.siteKey) });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const verified = captcha.verifications().at(-1);
    assert.deepEqual([verified?.provider, verified?.success], ['hcaptcha', true]);
  });

  it('keeps the keys when only the policy changes, removes them with keys: null', async () => {
    const kept = await owner.post('/v1/merchant/challenge', { policy: 'after_decline' });
    assert.equal(kept.body.policy, 'after_decline');
    assert.equal(kept.body.keys?.provider, 'hcaptcha');
    const cleared = await owner.post('/v1/merchant/challenge', { policy: 'always', keys: null });
    assert.deepEqual(cleared.body, { policy: 'always', keys: null, relayKeys: false, active: false });
    const row = await tenantRow(owner.tenantId);
    assert.deepEqual(
      [row.challenge_provider, row.challenge_site_key, row.challenge_secret],
      [null, null, null],
    );
  });

  it('refuses malformed, oversized and hostile input, and changes nothing', async () => {
    await owner.post('/v1/merchant/challenge', { policy: 'off', keys: null });
    const hostile: unknown[] = [
      {},
      { policy: 'sometimes' },
      { policy: 'always', keys: { provider: 'recaptcha', siteKey: 'a', secretKey: 'b' } },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: 'a' } },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: 'a'.repeat(101), secretKey: 'b' } },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: 'a', secretKey: 'b'.repeat(201) } },
      {
        policy: 'always',
        keys: { provider: 'turnstile', siteKey: "x'); drop table tenants; --", secretKey: 'b' },
      },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: '<script>', secretKey: 'b' } },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: 'a', secretKey: 'b c' } },
      { policy: 'always', keys: { provider: 'turnstile', siteKey: 'a', secretKey: 'b', extra: 1 } },
      { policy: 'always', admin: true },
      { policy: ['always'] },
      { policy: { $ne: 'off' } },
    ];
    for (const body of hostile) {
      const answer = await owner.post('/v1/merchant/challenge', body);
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.body.error.code, 'invalid_request');
    }
    const raw = await sendJson(relay.url, 'POST', '/v1/merchant/challenge', {
      body: 'x'.repeat(2_000_000),
      headers: { cookie: owner.cookie, origin: relay.url, 'x-csrf-token': owner.csrfToken },
    });
    assert.ok([400, 413].includes(raw.status), `an oversized body: ${raw.status}`);
    const row = await tenantRow(owner.tenantId);
    assert.deepEqual([row.challenge, row.challenge_provider], ['off', null]);
  });

  it('needs an owner’s session with the CSRF token and a recent password', async () => {
    const body = { policy: 'off' };
    assert.equal((await member.post('/v1/merchant/challenge', body)).body.error.code, 'forbidden');
    const noToken = await sendJson(relay.url, 'POST', '/v1/merchant/challenge', {
      body,
      headers: { cookie: owner.cookie, origin: relay.url },
    });
    assert.equal(noToken.body.error.code, 'csrf_failed');
    const crossSite = await owner.post('/v1/merchant/challenge', body, { origin: 'https://evil.example' });
    assert.equal(crossSite.body.error.code, 'csrf_failed');
    const anonymous = await sendJson(relay.url, 'GET', '/v1/merchant/challenge');
    assert.equal(anonymous.status, 401);
    await relay.database
      .knex('merchant_sessions')
      .where({ user_id: (await owner.get('/v1/merchant/session')).body.user.id })
      .update({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) });
    assert.equal(
      (await owner.post('/v1/merchant/challenge', body)).body.error.code,
      'reauthentication_required',
    );
    assert.equal((await owner.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD })).status, 200);
    assert.equal((await owner.post('/v1/merchant/challenge', body)).status, 200);
  });

  it('lets the app role write only its own tenant, and rotate-key re-seals the secret', async () => {
    const knex = relay.database.knex;
    await assert.rejects(
      knex.transaction(async (trx) => {
        await trx.raw('set local role onepagepay_app');
        await trx.raw("select onepagepay_set_challenge('always', false, null, null, null)");
      }),
      /no tenant is bound/,
    );
    await assert.rejects(
      inTenantTransaction(knex, { tenantId: owner.tenantId, livemode: false }, (trx) =>
        trx.raw("select onepagepay_set_challenge('always', true, 'turnstile', 'site', 'plain-secret')"),
      ),
      /sealed secret/,
      'the function takes only a sealed secret',
    );
    await owner.post('/v1/merchant/challenge', { policy: 'always', keys: hcaptchaKeys() });
    const key2 = `k2:${randomBytes(32).toString('base64')}`;
    const parse = (entry: string) => {
      const [id, key] = entry.split(':') as [string, string];
      return { id, key: Buffer.from(key, 'base64') };
    };
    const report = await rotateSecrets(knex, [parse(key2), parse(KEY_1)], { dryRun: false });
    const column = report.columns.find((entry) => entry.name === 'CAPTCHA secret keys');
    assert.ok(column && column.rotated >= 1, JSON.stringify(column));
    assert.match((await tenantRow(owner.tenantId)).challenge_secret, /^v1\.k2\./);
  });
});
