import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  createApiKeyFor,
  GOOD_PASSWORD,
  logInMerchant,
  merchantClient,
  sendJson,
  sessionCookieFrom,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

const NEW_PASSWORD = 'amber-lantern-quarry-77';
const email = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

describe('merchant API: inviting team members by mail', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let other: MerchantClient;

  const accept = (body: unknown, origin: string | undefined = relay.url) =>
    sendJson(relay.url, 'POST', '/v1/merchant/invitations/accept', {
      body,
      headers: origin ? { origin } : {},
    });
  const invite = async (client: MerchantClient, address: string, role: 'owner' | 'member' = 'member') => {
    const answer = await client.post('/v1/merchant/team/invitations', { email: address, role });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const token = relay.mailbox.invitationTokenFor(address);
    assert.ok(token, 'the invitation mail arrived');
    return { id: answer.body.id as string, token };
  };
  const audit = (tenantId: string, action: string) =>
    relay.database.knex('audit_events').where({ tenant_id: tenantId, action });

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: { MERCHANT_SIGNUP_VERIFY_URL: 'https://relay.example/dashboard' },
    });
    owner = await signUpMerchant(relay, email('owner'));
    other = await signUpMerchant(relay, email('other'), GOOD_PASSWORD, 'Other Shop');
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('mails a single-use link with the chosen role; accepting sets the password and signs in without 2FA yet', async () => {
    const address = email('invitee');
    const { id, token } = await invite(owner, address, 'owner');
    const mail = relay.mailbox.to(address).at(-1)!;
    assert.match(mail.subject, /Acme Workshops/);
    assert.ok(mail.text.includes(`https://relay.example/dashboard#invite=${token}`), mail.text);
    const listed = await owner.get('/v1/merchant/team/invitations');
    assert.deepEqual(
      listed.body.data.map((row: { id: string; email: string; role: string }) => [
        row.id,
        row.email,
        row.role,
      ]),
      [[id, address, 'owner']],
    );
    assert.equal(JSON.stringify(listed.body).includes(token), false, 'the token is only in the mail');
    const [invited] = await audit(owner.tenantId, 'user.invited');
    assert.deepEqual([invited.target, invited.details], [id, { role: 'owner' }]);

    const accepted = await accept({ token, password: NEW_PASSWORD });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.deepEqual(
      [accepted.body.tenantId, accepted.body.user.email, accepted.body.user.role],
      [owner.tenantId, address, 'owner'],
    );
    assert.equal(accepted.body.user.twoFactorEnabled, false);
    assert.equal(accepted.body.twoFactorVerified, false);
    const client = merchantClient(relay.url, {
      cookie: sessionCookieFrom(accepted.headers)!,
      csrfToken: accepted.body.csrfToken,
      tenantId: accepted.body.tenantId,
    });
    // The password just chosen counts as confirmed: what needs a fresh password (2FA enrolment, next
    // in the dashboard; an owner's API key) opens without typing it again.
    const key = await client.post('/v1/merchant/api-keys', { name: 'first', scopes: ['transactions:read'] });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const login = await logInMerchant(relay.url, { email: address, password: NEW_PASSWORD });
    assert.equal(login.response.status, 200);
    assert.equal((await audit(owner.tenantId, 'user.invitation_accepted')).length, 1);
    assert.deepEqual((await owner.get('/v1/merchant/team/invitations')).body.data, []);

    const again = await accept({ token, password: NEW_PASSWORD });
    assert.deepEqual([again.status, again.body.error.code], [404, 'not_found'], 'the link works once');
  });

  it('refuses expired and revoked links', async () => {
    const late = await invite(owner, email('late'));
    await relay.database
      .knex('merchant_invitations')
      .where({ id: late.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal((await accept({ token: late.token, password: NEW_PASSWORD })).status, 404);

    const revoked = await invite(owner, email('revoked'));
    assert.equal((await owner.post(`/v1/merchant/team/invitations/${revoked.id}/revoke`)).status, 204);
    assert.equal((await accept({ token: revoked.token, password: NEW_PASSWORD })).status, 404);
    assert.equal((await audit(owner.tenantId, 'user.invitation_revoked')).length, 1);
    assert.equal((await owner.post(`/v1/merchant/team/invitations/${revoked.id}/revoke`)).status, 404);
  });

  it('refuses malformed, oversized and policy-breaking input with stable codes', async () => {
    const { token } = await invite(owner, email('strict'));
    const refusals: Array<[unknown, number, string]> = [
      [{ token: 'short', password: NEW_PASSWORD }, 400, 'invalid_request'],
      [{ token: `${token}x`, password: NEW_PASSWORD }, 400, 'invalid_request'],
      [{ token }, 400, 'invalid_request'],
      [{ token, password: NEW_PASSWORD, role: 'owner' }, 400, 'invalid_request'],
      [{ token, password: 'x'.repeat(129) }, 400, 'invalid_request'],
      [{ token, password: 'password1234' }, 400, 'password_rejected'],
      [{ token: 'A'.repeat(43), password: NEW_PASSWORD }, 404, 'not_found'],
      [{ token, password: 'y'.repeat(2_000_000) }, 413, 'payload_too_large'],
    ];
    for (const [body, status, code] of refusals) {
      const answer = await accept(body);
      assert.deepEqual(
        [answer.status, answer.body?.error?.code],
        [status, code],
        JSON.stringify(body).slice(0, 80),
      );
    }
    assert.equal((await accept({ token, password: NEW_PASSWORD }, 'https://evil.example')).status, 403);
    for (const body of [
      { email: 'not-an-email', role: 'member' },
      { email: `${'a'.repeat(250)}@example.com`, role: 'member' },
      { email: email('x'), role: 'admin' },
      { email: email('x'), role: 'member', tenantId: other.tenantId },
    ]) {
      const answer = await owner.post('/v1/merchant/team/invitations', body);
      assert.deepEqual(
        [answer.status, answer.body.error.code],
        [400, 'invalid_request'],
        JSON.stringify(body),
      );
    }
    // None of the refusals used the token up.
    assert.equal((await accept({ token, password: NEW_PASSWORD })).status, 201);
  });

  it('lets only an owner with a fresh password and a CSRF token invite, never a member or an API key', async () => {
    const memberAddress = email('member');
    const { token } = await invite(owner, memberAddress, 'member');
    const accepted = await accept({ token, password: NEW_PASSWORD });
    const member = merchantClient(relay.url, {
      cookie: sessionCookieFrom(accepted.headers)!,
      csrfToken: accepted.body.csrfToken,
      tenantId: accepted.body.tenantId,
    });
    assert.equal(accepted.body.user.role, 'member');
    const byMember = await member.post('/v1/merchant/team/invitations', { email: email('m'), role: 'owner' });
    assert.deepEqual([byMember.status, byMember.body.error.code], [403, 'forbidden']);
    assert.equal((await member.get('/v1/merchant/team/invitations')).status, 403);

    const key = await createApiKeyFor(owner, ['transactions:read']);
    const byKey = await sendJson(relay.url, 'POST', '/v1/merchant/team/invitations', {
      body: { email: email('k'), role: 'member' },
      headers: { authorization: `Bearer ${key.secret}` },
    });
    assert.equal(byKey.status, 403);

    const noCsrf = await owner.post(
      '/v1/merchant/team/invitations',
      { email: email('c'), role: 'member' },
      {
        'x-csrf-token': 'forged',
      },
    );
    assert.deepEqual([noCsrf.status, noCsrf.body.error.code], [403, 'csrf_failed']);

    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: owner.tenantId })
      .update({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) });
    const stale = await owner.post('/v1/merchant/team/invitations', { email: email('s'), role: 'member' });
    assert.equal(stale.body.error.code, 'reauthentication_required');
    assert.equal((await owner.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD })).status, 200);
  });

  it('keeps tenants apart: another owner neither sees nor revokes an invitation, and its link joins only its own tenant', async () => {
    const address = email('apart');
    const { id, token } = await invite(owner, address);
    assert.deepEqual((await other.get('/v1/merchant/team/invitations')).body.data, []);
    assert.equal((await other.post(`/v1/merchant/team/invitations/${id}/revoke`)).status, 404);
    assert.equal((await other.post('/v1/merchant/team/invitations/not-a-uuid/revoke')).status, 404);
    const accepted = await accept({ token, password: NEW_PASSWORD });
    assert.equal(accepted.body.tenantId, owner.tenantId);
    const otherTeam = await other.get('/v1/merchant/team');
    assert.equal(otherTeam.body.data.length, 1, "the other tenant's team is unchanged");
  });

  it('does not tell the owner that an address has an account; the invitee learns it on accepting', async () => {
    const taken = await signUpMerchant(relay, email('taken'));
    const address = (await taken.get('/v1/merchant/session')).body.user.email as string;
    const { token } = await invite(owner, address);
    const answer = await accept({ token, password: NEW_PASSWORD });
    assert.deepEqual([answer.status, answer.body.error.code], [409, 'conflict']);
  });
});
