import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { generate } from 'otplib';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../../testing/test-relay.js';
import {
  createApiKeyFor,
  enrolTotp,
  GOOD_PASSWORD,
  logInMerchant,
  merchantClient,
  sendJson,
  sessionCookieFrom,
  signUpMerchant,
  verifySignupToken,
} from '../../testing/merchant-fixtures.js';

describe('merchant accounts: passwords, lockout, 2FA, sessions, CSRF', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: { ONEPAGEPAY_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS },
    });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const email = () => `merchant-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const post = (path: string, body: unknown, headers: Record<string, string> = { origin: relay.url }) =>
    sendJson(relay.url, 'POST', path, { body, headers });

  it('signs up with a strong password, hashed with argon2id, and sets a strict session cookie', async () => {
    const address = email();
    const requested = await post('/v1/merchant/signup', {
      email: address,
      password: GOOD_PASSWORD,
      businessName: 'Acme',
    });
    assert.equal(requested.status, 202, JSON.stringify(requested.body));
    assert.equal(requested.headers.get('set-cookie'), null, 'no session before the email is verified');
    const response = await verifySignupToken(relay.url, relay.mailbox.signupTokenFor(address)!);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^opp_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict'])
      assert.ok(setCookie.includes(attribute), attribute);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const user = await relay.database.knex('merchant_users').where({ email: address }).first();
    assert.match(user.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const token = /opp_session=([^;]+)/.exec(setCookie)![1]!;
    const stored = await relay.database.knex('merchant_sessions').where({ user_id: user.id });
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0].token_hash, token, 'only a hash of the token is stored');
    assert.equal(stored[0].token_hash.length, 64);
  });

  it('refuses short, overlong, common and breached passwords, and accepts 128 characters', async () => {
    const cases: Array<[string, number]> = [
      ['short-pass1', 400],
      ['x'.repeat(129), 400],
      ['password123456', 400],
      ['qwertyuiop1234', 400],
      ['123qweasdzxc', 400],
      ['1q2w3e4r5t6y', 400],
      ['iloveyouiloveyou', 400],
    ];
    for (const [password, status] of cases) {
      const response = await post('/v1/merchant/signup', { email: email(), password, businessName: 'Acme' });
      assert.equal(response.status, status, password);
      if (password.length >= 12 && password.length <= 128)
        assert.equal(response.body.error.code, 'password_rejected', password);
    }
    const long = 'Long passphrase: moss, granite, lanterns & tide pools. '.repeat(3).slice(0, 128);
    const accepted = await post('/v1/merchant/signup', {
      email: email(),
      password: long,
      businessName: 'Acme',
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  });

  it('locks an account after 5 failures with the same answer as for an unknown account', async () => {
    const address = email();
    await signUpMerchant(relay, address);
    const unknown = await post('/v1/merchant/login', { email: email(), password: 'wrong-password-123' });
    const wrong = await post('/v1/merchant/login', { email: address, password: 'wrong-password-123' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.body.error.message, wrong.body.error.message);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await post('/v1/merchant/login', { email: address, password: 'wrong-password-123' });
    }
    const locked = await post('/v1/merchant/login', { email: address, password: GOOD_PASSWORD });
    assert.equal(locked.status, 429, 'the right password is refused while locked');
    assert.doesNotMatch(locked.body.error.message, /exist|unknown|no account/i);
    const ghost = email();
    for (let attempt = 0; attempt < 5; attempt += 1)
      await post('/v1/merchant/login', { email: ghost, password: 'nope-nope-nope' });
    const ghostLocked = await post('/v1/merchant/login', { email: ghost, password: 'nope-nope-nope' });
    assert.equal(ghostLocked.status, 429, 'unknown accounts lock the same way');
    assert.equal(ghostLocked.body.error.message, locked.body.error.message);
    const events = await relay.database
      .knex('audit_events')
      .whereIn('action', ['login.failed', 'login.succeeded']);
    assert.ok(
      events.some((event) => event.action === 'login.failed' && event.ip && event.user_agent !== undefined),
    );
  });

  it('enrols TOTP, requires it at login, refuses a reused code and accepts each recovery code once', async () => {
    const address = email();
    const client = await signUpMerchant(relay, address);
    const before = client.cookie;
    const { secret, recoveryCodes } = await enrolTotp(client);
    assert.equal(recoveryCodes.length, 10);
    const stored = await relay.database.knex('merchant_users').where({ email: address }).first();
    assert.match(stored.totp_secret, /^v1\.k1\./, 'the TOTP secret is sealed at rest');
    assert.ok(!stored.totp_secret.includes(secret));
    assert.equal(new Set(recoveryCodes).size, 10);
    assert.notEqual(client.cookie, before, 'the token rotates at 2FA step-up');
    const old = await sendJson(relay.url, 'GET', '/v1/merchant/session', { headers: { cookie: before } });
    assert.equal(old.status, 401, 'the pre-step-up token is dead');

    const withoutCode = await logInMerchant(relay.url, { email: address, password: GOOD_PASSWORD });
    assert.equal(withoutCode.response.status, 401);
    const nextCode = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const first = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      totpCode: nextCode,
    });
    assert.equal(first.response.status, 200, JSON.stringify(first.response.body));
    assert.equal(first.response.body.twoFactorVerified, true);
    const replay = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      totpCode: nextCode,
    });
    assert.equal(replay.response.status, 401, 'a TOTP code works once');
    const older = await generate({ secret });
    const olderReplay = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      totpCode: older,
    });
    assert.equal(olderReplay.response.status, 401, 'an older code after a newer one is refused');

    const recovery = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      recoveryCode: recoveryCodes[0],
    });
    assert.equal(recovery.response.status, 200);
    const again = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      recoveryCode: recoveryCodes[0],
    });
    assert.equal(again.response.status, 401, 'a recovery code works once');
    const lower = await logInMerchant(relay.url, {
      email: address,
      password: GOOD_PASSWORD,
      recoveryCode: recoveryCodes[1]!.toLowerCase(),
    });
    assert.equal(lower.response.status, 200, 'case does not matter');
    const actions = (await relay.database.knex('audit_events').where({ tenant_id: client.tenantId })).map(
      (event) => event.action,
    );
    assert.ok(actions.includes('two_factor.enabled'));
  });

  it('needs 2FA for live mode, and rotates the token when switching', async () => {
    const client = await signUpMerchant(relay, email());
    const refused = await client.post('/v1/merchant/mode', { livemode: true });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'mfa_required');
    await enrolTotp(client);
    const before = client.cookie;
    const live = await client.post('/v1/merchant/mode', { livemode: true });
    assert.equal(live.status, 200, JSON.stringify(live.body));
    assert.equal(live.body.livemode, true);
    assert.notEqual(client.cookie, before);
  });

  it('ends sessions after 30 minutes idle and 12 hours in all', async () => {
    const idle = await signUpMerchant(relay, email());
    assert.equal((await idle.get('/v1/merchant/session')).status, 200);
    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: idle.tenantId })
      .update({
        last_seen_at: relay.database.knex.raw(`now() - interval '31 minutes'`),
      });
    assert.equal((await idle.get('/v1/merchant/session')).status, 401);

    const active = await signUpMerchant(relay, email());
    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: active.tenantId })
      .update({
        last_seen_at: relay.database.knex.raw(`now() - interval '29 minutes'`),
      });
    assert.equal(
      (await active.get('/v1/merchant/session')).status,
      200,
      'activity within 30 minutes keeps it',
    );
    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: active.tenantId })
      .update({
        expires_at: relay.database.knex.raw(`now() - interval '1 second'`),
      });
    assert.equal(
      (await active.get('/v1/merchant/session')).status,
      401,
      'the 12-hour limit holds even when active',
    );
  });

  it('needs the CSRF token and a matching Origin on state-changing session requests', async () => {
    const client = await signUpMerchant(relay, email());
    const body = { password: GOOD_PASSWORD };
    const noToken = await client.post('/v1/merchant/reauthenticate', body, { 'x-csrf-token': '' });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.body.error.code, 'csrf_failed');
    const wrongToken = await client.post('/v1/merchant/reauthenticate', body, {
      'x-csrf-token': 'A'.repeat(43),
    });
    assert.equal(wrongToken.status, 403);
    const evil = await client.post('/v1/merchant/reauthenticate', body, { origin: 'https://evil.example' });
    assert.equal(evil.status, 403);
    const loginElsewhere = await post(
      '/v1/merchant/login',
      { email: email(), password: GOOD_PASSWORD },
      { origin: 'https://evil.example' },
    );
    assert.equal(loginElsewhere.status, 403, 'no login CSRF from another site');
    const ok = await client.post('/v1/merchant/reauthenticate', body);
    assert.equal(ok.status, 200);
  });

  it('needs re-authentication for keys and 2FA, and logs out everywhere after a password change', async () => {
    const address = email();
    const client = await signUpMerchant(relay, address);
    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: client.tenantId })
      .update({
        reauthenticated_at: relay.database.knex.raw(`now() - interval '6 minutes'`),
      });
    const key = await client.post('/v1/merchant/api-keys', { name: 'k', scopes: ['transactions:read'] });
    assert.equal(key.status, 403);
    assert.equal(key.body.error.code, 'reauthentication_required');
    const setup = await client.post('/v1/merchant/two-factor/setup');
    assert.equal(setup.body.error.code, 'reauthentication_required');

    const second = (await logInMerchant(relay.url, { email: address, password: GOOD_PASSWORD })).client!;
    const changed = await client.post('/v1/merchant/password', {
      currentPassword: GOOD_PASSWORD,
      newPassword: 'another-strong-secret-77',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await second.get('/v1/merchant/session')).status, 401, 'the other session ended');
    assert.equal((await client.get('/v1/merchant/session')).status, 200, 'this client got a fresh session');
    const oldPassword = await logInMerchant(relay.url, { email: address, password: GOOD_PASSWORD });
    assert.equal(oldPassword.response.status, 401);
  });

  it('shows an API key once, stores its SHA-256, enforces scopes and refuses it once revoked', async () => {
    const client = await signUpMerchant(relay, email());
    const key = await createApiKeyFor(client, ['contacts:read']);
    assert.match(key.secret, /^opp_test_[A-Za-z0-9_-]{43}$/);
    const row = await relay.database.knex('merchant_api_keys').where({ id: key.id }).first();
    assert.notEqual(row.key_hash, key.secret);
    const listed = await client.get('/v1/merchant/api-keys');
    assert.equal(JSON.stringify(listed.body).includes(key.secret), false, 'never shown again');
    const bearer = { authorization: `Bearer ${key.secret}` };
    assert.equal((await sendJson(relay.url, 'GET', '/v1/contacts', { headers: bearer })).status, 200);
    const outOfScope = await sendJson(relay.url, 'GET', '/v1/transactions', { headers: bearer });
    assert.equal(outOfScope.status, 403);
    assert.equal(outOfScope.body.error.code, 'insufficient_scope');
    const refund = await sendJson(relay.url, 'POST', `/v1/transactions/${crypto.randomUUID()}/refunds`, {
      body: {},
      headers: { ...bearer, 'idempotency-key': 'key-12345678' },
    });
    assert.equal(refund.status, 403);
    const used = await relay.database.knex('merchant_api_keys').where({ id: key.id }).first();
    assert.ok(used.last_used_at, 'last_used_at recorded');
    const audit = await sendJson(relay.url, 'GET', '/v1/audit-events', { headers: bearer });
    assert.equal(audit.status, 403, 'account routes need a session');

    await client.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD });
    const revoked = await client.post(`/v1/merchant/api-keys/${key.id}/revoke`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal((await sendJson(relay.url, 'GET', '/v1/contacts', { headers: bearer })).status, 401);
    const events = await client.get('/v1/audit-events');
    const actions = events.body.data.map((event: { action: string }) => event.action);
    for (const action of ['api_key.created', 'api_key.revoked', 'login.succeeded'])
      assert.ok(actions.includes(action), action);
    const created = events.body.data.find((event: { action: string }) => event.action === 'api_key.created');
    assert.ok(created.ip && created.userAgent && created.occurredAt && created.actor.id);
  });

  it('keeps the audit log append-only for the app role', async () => {
    const client = await signUpMerchant(relay, email());
    const app = relay.database.app?.knex ?? relay.database.knex;
    const attempt = app.transaction(async (trx) => {
      await trx.raw(
        `select set_config('app.tenant_id', ?, true), set_config('role', 'onepagepay_app', true)`,
        [client.tenantId],
      );
      await trx('audit_events').where({ tenant_id: client.tenantId }).update({ action: 'tampered' });
    });
    await assert.rejects(attempt, /permission denied/);
  });

  it('describes every merchant route in /v1/openapi.json, from the protocol schemas', async () => {
    const document = (await sendJson(relay.url, 'GET', '/v1/openapi.json')).body;
    for (const [path, method] of [
      ['/v1/transactions', 'get'],
      ['/v1/transactions.csv', 'get'],
      ['/v1/transactions/{id}', 'get'],
      ['/v1/transactions/{id}/refunds', 'post'],
      ['/v1/contacts', 'get'],
      ['/v1/contacts/{id}', 'get'],
      ['/v1/audit-events', 'get'],
      ['/v1/merchant/signup', 'post'],
      ['/v1/merchant/signup/verify', 'post'],
      ['/v1/merchant/login', 'post'],
      ['/v1/merchant/two-factor/confirm', 'post'],
      ['/v1/merchant/api-keys', 'post'],
    ]) {
      assert.ok(document.paths[path!]?.[method!], `${method} ${path}`);
    }
    const list = document.paths['/v1/transactions'].get;
    // An API key or the dashboard's session cookie: either one is enough.
    assert.deepEqual(list.security, [{ api_key: [] }, { session: [] }]);
    assert.equal(list.operationId, 'listTransactions');
    assert.ok(list.parameters.some((parameter: { name: string }) => parameter.name === 'contact_email'));
    const item = list.responses['200'].content['application/json'].schema.properties.data.items;
    assert.equal('clientSecret' in item.properties, false);
  });

  it('logs out, and the cookie no longer works', async () => {
    const client = await signUpMerchant(relay, email());
    const cookie = client.cookie;
    const out = await client.post('/v1/merchant/logout');
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    const after = merchantClient(relay.url, {
      cookie,
      csrfToken: client.csrfToken,
      tenantId: client.tenantId,
    });
    assert.equal((await after.get('/v1/merchant/session')).status, 401);
    assert.equal(sessionCookieFrom(out.headers), undefined);
  });
});
