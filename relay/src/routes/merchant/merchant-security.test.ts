import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { generate } from 'otplib';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../../testing/test-relay.js';
import {
  enrolTotp,
  GOOD_PASSWORD,
  logInMerchant,
  sendJson,
  signUpMerchant,
  type JsonAnswer,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';

/**
 * Regression tests written from the reproductions of an outside security review (stolen session
 * cookie, concurrent guessing). Each runs against a real relay on PGlite, or on PostgreSQL with
 * TEST_DATABASE_URL.
 */
describe('merchant account security: re-authentication, 2FA changes, throttles', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { ONEPAGEPAY_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS } });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const email = () => `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;
  /** Moves the session's last password check past the 5-minute window, as waiting would. */
  const outliveReauthentication = (client: MerchantClient) =>
    relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: client.tenantId })
      .whereNull('revoked_at')
      .update({ reauthenticated_at: relay.database.knex.raw(`now() - interval '6 minutes'`) });
  const assertRefused = (answer: JsonAnswer, code: string, what: string) => {
    assert.equal(
      answer.body?.error?.code,
      code,
      `${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
    );
  };
  const nextTotp = (secret: string, stepsAhead = 1) =>
    generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

  it('a mode switch does not renew re-authentication: a stale cookie cannot enrol 2FA or mint keys', async () => {
    const stolen = await signUpMerchant(relay, email());
    await outliveReauthentication(stolen);
    assertRefused(await stolen.post('/v1/merchant/two-factor/setup'), 'reauthentication_required', 'setup');

    const mode = await stolen.post('/v1/merchant/mode', { livemode: false });
    assert.equal(mode.status, 200, 'the mode switch itself is allowed');
    assertRefused(await stolen.post('/v1/merchant/two-factor/setup'), 'reauthentication_required', 'setup');
    assertRefused(
      await stolen.post('/v1/merchant/two-factor/confirm', { code: '123456' }),
      'reauthentication_required',
      'confirm',
    );
    assertRefused(
      await stolen.post('/v1/merchant/api-keys', { name: 'x', scopes: ['refunds:write'] }),
      'reauthentication_required',
      'api-keys',
    );
    const user = await relay.database.knex('merchant_users').where({ tenant_id: stolen.tenantId }).first();
    assert.equal(user.pending_totp_secret, null, 'no attacker secret was stored');
  });

  it('a stale cookie of a 2FA account cannot replace, disable or re-issue 2FA, nor mint a live key', async () => {
    const stolen = await signUpMerchant(relay, email());
    const { recoveryCodes } = await enrolTotp(stolen);
    await outliveReauthentication(stolen);
    for (const livemode of [false, true]) {
      assert.equal((await stolen.post('/v1/merchant/mode', { livemode })).status, 200);
    }
    assertRefused(await stolen.post('/v1/merchant/two-factor/setup'), 'reauthentication_required', 'setup');
    assertRefused(
      await stolen.post('/v1/merchant/two-factor/disable', { recoveryCode: recoveryCodes[0] }),
      'reauthentication_required',
      'disable',
    );
    assertRefused(
      await stolen.post('/v1/merchant/two-factor/recovery-codes', { recoveryCode: recoveryCodes[1] }),
      'reauthentication_required',
      'recovery-codes',
    );
    assertRefused(
      await stolen.post('/v1/merchant/api-keys', { name: 'x', scopes: ['refunds:write'] }),
      'reauthentication_required',
      'live api-keys',
    );
    const user = await relay.database.knex('merchant_users').where({ tenant_id: stolen.tenantId }).first();
    assert.ok(user.totp_enabled_at, '2FA is still on');
    assert.equal(
      await relay.database.knex('merchant_api_keys').where({ tenant_id: stolen.tenantId }).first(),
      undefined,
    );
  });

  it('with 2FA on, setup cannot replace the secret and disable or new recovery codes need a current code', async () => {
    const owner = await signUpMerchant(relay, email());
    const { secret, recoveryCodes } = await enrolTotp(owner);
    const reauth = await owner.post('/v1/merchant/reauthenticate', {
      password: GOOD_PASSWORD,
      totpCode: await nextTotp(secret),
    });
    assert.equal(reauth.status, 200, JSON.stringify(reauth.body));
    const before = await relay.database.knex('merchant_users').where({ tenant_id: owner.tenantId }).first();

    assertRefused(await owner.post('/v1/merchant/two-factor/setup'), 'conflict', 'setup while on');
    assertRefused(await owner.post('/v1/merchant/two-factor/disable', {}), 'invalid_request', 'no code');
    const stale = await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 3600 });
    assertRefused(
      await owner.post('/v1/merchant/two-factor/disable', { totpCode: stale }),
      'unauthorized',
      'an old code',
    );
    assertRefused(
      await owner.post('/v1/merchant/two-factor/recovery-codes', {}),
      'invalid_request',
      'no code',
    );

    const reissued = await owner.post('/v1/merchant/two-factor/recovery-codes', {
      recoveryCode: recoveryCodes[0],
    });
    assert.equal(reissued.status, 200, JSON.stringify(reissued.body));
    assertRefused(
      await owner.post('/v1/merchant/two-factor/disable', { recoveryCode: recoveryCodes[1] }),
      'unauthorized',
      'a replaced recovery code',
    );
    const after = await relay.database.knex('merchant_users').where({ tenant_id: owner.tenantId }).first();
    assert.equal(after.totp_secret, before.totp_secret, 'the secret was never replaced');
    const disabled = await owner.post('/v1/merchant/two-factor/disable', {
      recoveryCode: reissued.body.recoveryCodes[0],
    });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    assert.equal(disabled.body.user.twoFactorEnabled, false);
  });

  it('60 concurrent wrong passwords for one email: at most 5 are verified, the rest get 429 with Retry-After', async () => {
    const address = email();
    const owner = await signUpMerchant(relay, address);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        sendJson(relay.url, 'POST', '/v1/merchant/login', {
          body: { email: address, password: 'not-the-password-1' },
          headers: { origin: relay.url },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    const verified = await relay.database
      .knex('audit_events')
      .where({ tenant_id: owner.tenantId, action: 'login.failed' })
      .count<Array<{ count: string }>>('* as count');
    // Every verified wrong password leaves one login.failed event: the count of argon2 checks.
    assert.ok(Number(verified[0]!.count) <= 5, `verified ${verified[0]!.count} guesses`);
    assert.ok(statuses.filter((status) => status === 401).length <= 5, statuses.join(','));
    assert.equal(
      statuses.filter((status) => status === 429).length + statuses.filter((s) => s === 401).length,
      60,
    );
    for (const answer of answers.filter((item) => item.status === 429)) {
      assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'Retry-After on every 429');
      assert.equal(answer.body.error.code, 'rate_limited');
    }
  });

  it('29 wrong passwords and the right one in one burst: no success past the limit, no reset', async () => {
    const address = email();
    await signUpMerchant(relay, address);
    const login = (password: string) =>
      sendJson(relay.url, 'POST', '/v1/merchant/login', {
        body: { email: address, password },
        headers: { origin: relay.url },
      });
    const passwords = Array.from({ length: 30 }, (_, index) =>
      index === 29 ? GOOD_PASSWORD : `wrong-password-${index}`,
    );
    const statuses = (await Promise.all(passwords.map(login))).map((answer) => answer.status);
    const wrong = statuses.filter((status) => status === 401).length;
    const succeeded = statuses.filter((status) => status === 200).length;
    assert.ok(wrong <= 5, `${wrong} wrong passwords were checked: ${statuses.join(',')}`);
    assert.ok(wrong + succeeded <= 6, statuses.join(','));
    const after = await login(GOOD_PASSWORD);
    assert.equal(after.status, 429, 'the burst locked the account and a success did not unlock it');
  });

  it('password changes are throttled per user and do not lock the owner out of sign-in', async () => {
    const address = email();
    const owner = await signUpMerchant(relay, address);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await owner.post('/v1/merchant/password', {
        currentPassword: `guess-number-${attempt}-x`,
        newPassword: 'attacker-chosen-secret-91',
      });
      assert.equal(wrong.status, 401);
    }
    const locked = await owner.post('/v1/merchant/password', {
      currentPassword: GOOD_PASSWORD,
      newPassword: 'attacker-chosen-secret-91',
    });
    assertRefused(locked, 'rate_limited', 'sixth password change');
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    const signIn = await logInMerchant(relay.url, { email: address, password: GOOD_PASSWORD });
    assert.equal(signIn.response.status, 200, 'the owner still signs in');
  });
});

describe('merchant 2FA without ONEPAGEPAY_ENCRYPTION_KEYS', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { ONEPAGEPAY_ENCRYPTION_KEYS: '' } });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('refuses enrolment with encryption_not_configured, stores no secret, and warns at start', async () => {
    const owner = await signUpMerchant(relay, `plain-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const setup = await owner.post('/v1/merchant/two-factor/setup');
    assert.equal(setup.status, 503, JSON.stringify(setup.body));
    assert.equal(setup.body.error.code, 'encryption_not_configured');
    assert.match(setup.body.error.message, /ONEPAGEPAY_ENCRYPTION_KEYS/);
    const user = await relay.database.knex('merchant_users').where({ tenant_id: owner.tenantId }).first();
    assert.equal(user.pending_totp_secret, null);
    assert.ok(relay.logLines.some((line) => line.includes('ONEPAGEPAY_ENCRYPTION_KEYS is unset')));
  });
});
