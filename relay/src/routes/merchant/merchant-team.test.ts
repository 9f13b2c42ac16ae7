import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { inviteUser } from '../../merchants/users.js';
import {
  createApiKeyFor,
  GOOD_PASSWORD,
  logInMerchant,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

describe('merchant API: team members and their roles', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let member: MerchantClient;
  let other: MerchantClient;
  let memberId: string;
  const memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    owner = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    other = await signUpMerchant(relay, `other-${crypto.randomUUID().slice(0, 8)}@example.com`);
    memberId = (
      await inviteUser(
        relay.database.knex,
        { tenantId: owner.tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
        { type: 'cli', id: null, ip: null, userAgent: null },
      )
    ).id;
    member = (await logInMerchant(relay.url, { email: memberEmail, password: GOOD_PASSWORD })).client!;
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('lists the tenant’s users to owners only, without secrets, and never to an API key', async () => {
    const listed = await owner.get('/v1/merchant/team');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.deepEqual(
      listed.body.data.map((user: { role: string; twoFactorEnabled: boolean }) => [
        user.role,
        user.twoFactorEnabled,
      ]),
      [
        ['owner', false],
        ['member', false],
      ],
    );
    assert.deepEqual(Object.keys(listed.body.data[1]).sort(), [
      'createdAt',
      'email',
      'id',
      'role',
      'twoFactorEnabled',
    ]);
    assert.equal(listed.body.data[1].email, memberEmail);
    assert.equal((await member.get('/v1/merchant/team')).body.error.code, 'forbidden');
    assert.equal((await other.get('/v1/merchant/team')).body.data.length, 1, 'only its own users');
    const key = (await createApiKeyFor(owner, ['transactions:read'])).secret;
    const withKey = await sendJson(relay.url, 'GET', '/v1/merchant/team', {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.ok([401, 403].includes(withKey.status), String(withKey.status));
  });

  it('changes a role after a recent password check, audits it, and always keeps an owner', async () => {
    const path = `/v1/merchant/team/${memberId}/role`;
    assert.equal((await member.post(path, { role: 'owner' })).body.error.code, 'forbidden');
    assert.equal((await other.post(path, { role: 'owner' })).status, 404, "another tenant's user is unknown");
    assert.equal((await owner.post(path, { role: 'admin' })).status, 400);
    assert.equal((await owner.post('/v1/merchant/team/nope/role', { role: 'owner' })).status, 404);
    // A session whose password check is older than 5 minutes must confirm it again.
    await relay.database
      .knex('merchant_sessions')
      .where({ tenant_id: owner.tenantId })
      .update({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) });
    assert.equal((await owner.post(path, { role: 'owner' })).body.error.code, 'reauthentication_required');
    assert.equal((await owner.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD })).status, 200);

    const promoted = await owner.post(path, { role: 'owner' });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    assert.equal(promoted.body.role, 'owner');
    assert.equal((await member.get('/v1/merchant/team')).status, 200, 'the new role holds at once');
    const audited = await relay.database
      .knex('audit_events')
      .where({ tenant_id: owner.tenantId, action: 'user.role_changed' })
      .first();
    assert.equal(audited.target, memberId);
    assert.deepEqual(audited.details, { from: 'member', to: 'owner' });

    // Two owners: one may step down; then the other is the last and may not.
    const ownerId = (await owner.get('/v1/merchant/session')).body.user.id as string;
    assert.equal(
      (await owner.post(`/v1/merchant/team/${ownerId}/role`, { role: 'member' })).body.role,
      'member',
    );
    const last = await member.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD });
    assert.equal(last.status, 200);
    const refused = await member.post(path, { role: 'member' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
    assert.match(refused.body.error.message, /only owner/);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await (await fetch(`${relay.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    assert.equal(document.paths['/v1/merchant/team']?.get?.operationId, 'listTeam');
    const change = document.paths['/v1/merchant/team/{id}/role']?.post;
    assert.equal(change?.operationId, 'changeRole');
    assert.ok(change && '409' in change.responses && '404' in change.responses);
  });
});
