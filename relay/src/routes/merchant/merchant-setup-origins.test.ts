import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { inTenantTransaction } from '../../db/tenant-scope.js';
import { inviteUser } from '../../merchants/users.js';
import {
  createApiKeyFor,
  GOOD_PASSWORD,
  logInMerchant,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

describe('merchant self-service: allowed origins and the HubSpot connection', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let member: MerchantClient;
  let other: MerchantClient;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: {
        HUBSPOT_CLIENT_ID: 'dashboard-test-app',
        HUBSPOT_CLIENT_SECRET: 'dashboard-test-secret',
        HUBSPOT_REDIRECT_URI: 'https://relay.example/v1/hubspot/oauth/callback',
      },
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
    await stripe?.close();
  });

  it('replaces the list, normalized, and payers from a new origin get CORS at once', async () => {
    assert.deepEqual((await owner.get('/v1/merchant/allowed-origins')).body, { origins: [] });
    const saved = await owner.post('/v1/merchant/allowed-origins', {
      origins: ['https://Shop.Example.com/', 'http://localhost:5173', 'https://shop.example.com'],
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.origins, ['http://localhost:5173', 'https://shop.example.com']);
    assert.deepEqual((await member.get('/v1/merchant/allowed-origins')).body.origins, saved.body.origins);
    const { form } = await seedTransactions(relay.database.knex, owner.tenantId, { count: 1 });
    const config = await sendJson(relay.url, 'GET', `/v1/forms/${owner.tenantId}/${form.hubspotFormGuid}`, {
      headers: { origin: 'https://shop.example.com' },
    });
    assert.equal(config.status, 200);
    assert.equal(config.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    const tenantB = await relay.database.knex('tenants').where({ id: other.tenantId }).first();
    assert.deepEqual(tenantB.allowed_origins, [], "another tenant's list is untouched");
    const events = (await owner.get('/v1/audit-events?limit=100')).body.data as Array<{
      action: string;
      details: { added?: string[] };
    }>;
    const event = events.find((entry) => entry.action === 'origins.updated');
    assert.deepEqual(event?.details.added, saved.body.origins);
  });

  it('refuses anything that is not a bare http(s) origin', async () => {
    const hostile = [
      'javascript:alert(1)',
      'http://shop.example.com',
      'https://shop.example.com/checkout',
      'https://user:pw@shop.example.com',
      'https://shop.example.com?x=1',
      'null',
      '*',
      'https://*.example.com',
      `https://${'a'.repeat(250)}.com`,
      "https://x.com'); update tenants set stripe_account_id='acct_evil'; --",
    ];
    for (const origin of hostile) {
      const answer = await owner.post('/v1/merchant/allowed-origins', { origins: [origin] });
      assert.equal(answer.status, 400, origin);
      assert.equal(answer.body.error.code, 'invalid_request', origin);
    }
    const tooMany = Array.from({ length: 21 }, (_, index) => `https://s${index}.example.com`);
    assert.equal((await owner.post('/v1/merchant/allowed-origins', { origins: tooMany })).status, 400);
    assert.equal(
      (await owner.post('/v1/merchant/allowed-origins', { origins: 'https://a.com' })).status,
      400,
    );
    assert.equal((await owner.post('/v1/merchant/allowed-origins', {})).status, 400);
    const tenant = await relay.database.knex('tenants').where({ id: owner.tenantId }).first();
    assert.deepEqual(tenant.allowed_origins, ['http://localhost:5173', 'https://shop.example.com']);
    assert.equal(tenant.stripe_account_id, null);
  });

  it('needs an owner with a recent password', async () => {
    const refused = await member.post('/v1/merchant/allowed-origins', { origins: [] });
    assert.equal(refused.body.error.code, 'forbidden');
    await relay.database
      .knex('merchant_sessions')
      .where({ user_id: (await owner.get('/v1/merchant/session')).body.user.id })
      .update({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) });
    const stale = await owner.post('/v1/merchant/allowed-origins', { origins: [] });
    assert.equal(stale.body.error.code, 'reauthentication_required');
    assert.equal((await owner.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD })).status, 200);
    const fresh = await owner.post('/v1/merchant/allowed-origins', { origins: ['https://shop.example.com'] });
    assert.equal(fresh.status, 200);
  });

  it('lets the app role write only its own tenant through the definer function', async () => {
    const knex = relay.database.knex;
    await assert.rejects(
      knex.transaction(async (trx) => {
        await trx.raw('set local role onepagepay_app');
        await trx.raw("select onepagepay_set_allowed_origins(array['https://a.example.com'])");
      }),
      /no tenant is bound/,
    );
    await assert.rejects(
      inTenantTransaction(knex, { tenantId: owner.tenantId, livemode: false }, (trx) =>
        trx.raw("update tenants set allowed_origins = array['https://evil.example']"),
      ),
      /permission denied/,
    );
    await assert.rejects(
      inTenantTransaction(knex, { tenantId: owner.tenantId, livemode: false }, (trx) =>
        trx.raw("select onepagepay_set_allowed_origins(array['https://ok.example.com/path'])"),
      ),
      /https:\/\/host/,
    );
  });

  it('reports the HubSpot connection and sync counts of the session mode only', async () => {
    const empty = await member.get('/v1/merchant/hubspot');
    assert.equal(empty.status, 200);
    assert.equal(empty.body.status, 'not_connected');
    assert.equal(empty.body.oauthConfigured, true);
    const knex = relay.database.knex;
    await knex('hubspot_connections').insert({
      tenant_id: owner.tenantId,
      livemode: false,
      portal_id: 424242,
      auth_kind: 'oauth',
      access_token: 'k1.sealed',
    });
    const { transactionIds } = await seedTransactions(knex, owner.tenantId, { count: 3 });
    await knex('transactions')
      .whereIn('id', transactionIds.slice(0, 2))
      .update({ hubspot_sync_state: 'synced' });
    await knex('transactions').where({ id: transactionIds[2] }).update({ hubspot_sync_state: 'failed' });
    await seedTransactions(knex, owner.tenantId, { count: 2, livemode: true });
    const status = (await owner.get('/v1/merchant/hubspot')).body;
    assert.equal(status.status, 'connected');
    assert.equal(status.portalId, 424242);
    assert.equal(status.sync.synced, 2);
    assert.equal(status.sync.failed, 1);
    assert.equal(JSON.stringify(status).includes('sealed'), false, 'never a token');
    assert.equal((await other.get('/v1/merchant/hubspot')).body.status, 'not_connected');

    // GET /v1/hubspot answers all of it, to members and keys alike; the session route is deprecated.
    const unified = await member.get('/v1/hubspot');
    assert.equal(unified.status, 200, JSON.stringify(unified.body));
    assert.deepEqual(
      [unified.body.status, unified.body.portalId, unified.body.livemode, unified.body.authKind],
      ['connected', 424242, false, 'oauth'],
    );
    assert.deepEqual(unified.body.sync, status.sync);
    assert.equal(unified.body.oauthConfigured, true);
    assert.equal(unified.body.propertiesReady, status.propertiesReady);
    assert.equal(unified.headers.get('deprecation'), null);
    const old = await owner.get('/v1/merchant/hubspot');
    assert.match(old.headers.get('deprecation') ?? '', /^@\d+$/);
    assert.equal(old.headers.get('link'), '</v1/hubspot>; rel="successor-version"');
    assert.equal((await other.get('/v1/hubspot')).body.sync.synced, 0);
  });

  it("reports a Stripe disconnection of the tenant's connected account, and nothing for others", async () => {
    const knex = relay.database.knex;
    const active = await member.get('/v1/merchant/stripe');
    assert.deepEqual(active.body, {
      object: 'stripe_status',
      connectedAccountId: null,
      status: 'active',
      disconnectedAt: null,
    });
    const account = `acct_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await knex('tenants').where({ id: owner.tenantId }).update({ stripe_account_id: account });
    assert.equal((await member.get('/v1/merchant/stripe')).body.status, 'active');
    await knex('stripe_deauthorized_accounts').insert({
      account_id: account,
      event_id: 'evt_dashboard_deauthorized',
      deauthorized_at: new Date('2026-12-01T10:00:00Z'),
    });
    const disconnected = (await member.get('/v1/merchant/stripe')).body;
    assert.deepEqual(
      [disconnected.status, disconnected.connectedAccountId, disconnected.disconnectedAt],
      ['disconnected', account, '2026-12-01T10:00:00.000Z'],
    );
    assert.equal((await other.get('/v1/merchant/stripe')).body.status, 'active');
    const byKey = await sendJson(relay.url, 'GET', '/v1/merchant/stripe', {
      headers: { authorization: `Bearer ${(await createApiKeyFor(owner, ['transactions:read'])).secret}` },
    });
    assert.equal(byKey.status, 403, 'a session route');
    await knex('stripe_deauthorized_accounts').where({ account_id: account }).delete();
    await knex('tenants').where({ id: owner.tenantId }).update({ stripe_account_id: null });
  });

  it('gives owners an install link for their tenant and mode that starts the OAuth dance', async () => {
    const refused = await member.post('/v1/merchant/hubspot/connect');
    assert.equal(refused.body.error.code, 'forbidden');
    const link = await owner.post('/v1/merchant/hubspot/connect');
    assert.equal(link.status, 200, JSON.stringify(link.body));
    const url = new URL(link.body.url);
    assert.equal(url.origin + url.pathname, 'https://relay.example/v1/hubspot/oauth/start');
    const started = await fetch(`${relay.url}/v1/hubspot/oauth/start${url.search}`, { redirect: 'manual' });
    assert.equal(started.status, 302);
    assert.match(started.headers.get('location') ?? '', /client_id=dashboard-test-app/);
    const ticket = JSON.parse(
      Buffer.from(url.searchParams.get('ticket')!.split('.')[0]!, 'base64url').toString(),
    ) as { t: string; l: boolean };
    assert.deepEqual([ticket.t, ticket.l], [owner.tenantId, false]);
  });

  it('replays a dead-letter sync for one transaction, owners only, and says when there is none', async () => {
    const knex = relay.database.knex;
    const { transactionIds } = await seedTransactions(knex, owner.tenantId, { count: 1 });
    const id = transactionIds[0] as string;
    const path = `/v1/merchant/transactions/${id}/hubspot-replay`;
    assert.equal((await owner.post(path)).body.error.code, 'conflict', 'nothing dead yet');
    await knex('outbox').insert({
      tenant_id: owner.tenantId,
      livemode: false,
      topic: 'hubspot.transaction',
      dedupe_key: `hubspot.transaction:${id}:dashboard-test`,
      transaction_id: id,
      status: 'dead',
      attempts: 8,
    });
    await knex('transactions').where({ id }).update({ hubspot_sync_state: 'failed' });
    assert.equal((await member.post(path)).body.error.code, 'forbidden');
    assert.equal((await other.post(path)).status, 404, "another tenant's id is unknown");
    assert.equal((await owner.post('/v1/merchant/transactions/nope/hubspot-replay')).status, 404);
    const replayed = await owner.post(path);
    assert.deepEqual(replayed.body, { requeued: 1 });
    const job = await knex('outbox').where({ transaction_id: id }).first();
    assert.deepEqual([job.status, job.attempts], ['pending', 0]);
    assert.equal((await owner.get(`/v1/transactions/${id}`)).body.hubspotSyncState, 'pending');
  });
});
