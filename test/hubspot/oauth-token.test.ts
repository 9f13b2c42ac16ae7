import assert from 'node:assert/strict';
import { createApiKey } from '../../relay/src/merchants/api-keys.js';
import { allSynced, drain, HubSpotWorld } from './support.js';

describe('HubSpot push: OAuth install and a token expiring mid-run', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  before(async () => (world = await HubSpotWorld.start({ HUBSPOT_WORKER_CLAIM_LIMIT: '100' })));
  after(() => world?.close());

  it('installs through the callback, refreshes after a 401 and before expiry, and marks the connection disconnected when the app is uninstalled', async () => {
    const { seedTenantWithForm } = await import('../../relay/src/testing/payment-fixtures.js');
    const seeded = { ...(await seedTenantWithForm(world.knex)), portalId: 0 };
    seeded.portalId = world.hubspot.createPortal().portalId;
    const installed = await world.installByOAuth(seeded.tenant.id, seeded.portalId);
    assert.equal(installed.status, 200, installed.body);
    assert.match(installed.body, new RegExp(`portal ${seeded.portalId} is connected`));
    const calls = world.hubspot.stats().byPath;
    assert.equal(calls['POST /oauth/2026-03/token'], 1, 'the code is exchanged on the 2026-03 API');
    assert.ok(
      (calls['POST /oauth/2026-03/token/introspect'] ?? 0) >= 1,
      'the portal id comes from 2026-03 introspection',
    );
    const v1Calls = () =>
      Object.keys(world.hubspot.stats().byPath).filter((path) => path.includes('/oauth/v1/'));
    assert.deepEqual(v1Calls(), [], 'none of the OAuth v1 endpoints HubSpot sunsets on 2027-02-16');

    const row = await world.knex('hubspot_connections').where({ tenant_id: seeded.tenant.id }).first();
    assert.equal(row.auth_kind, 'oauth');
    assert.match(row.access_token, /^v1\.k2\./, 'sealed with the current key');
    const connection = await world.openConnection(seeded.tenant.id);
    assert.ok(connection && !row.access_token.includes(connection.accessToken), 'never stored in clear');
    assert.ok(row.properties_ready_at, 'custom properties are created on connect');
    const dealProperty = world.hubspot
      .properties(seeded.portalId, 'deals')
      .find((property) => property.name === 'onepagepay_transaction_id');
    assert.equal(dealProperty?.hasUniqueValue, true);

    // 150 payments: the first round pushes 100, then HubSpot stops accepting the token.
    await world.payDirectlyMany(
      seeded,
      Array.from({ length: 150 }, (_, index) => `t${index}@example.com`),
    );
    world.clock.advance(1000);
    const worker = world.worker();
    const first = await worker.runOnce();
    assert.equal(first.synced, 100);
    world.hubspot.expireToken(connection.accessToken);
    const tokenCalls = () => world.hubspot.stats().byPath['POST /oauth/2026-03/token'] ?? 0;
    const before = tokenCalls();
    const second = await worker.runOnce();
    assert.equal(second.synced, 50, 'the 401 led to a refresh and the same batch went through');
    assert.equal(tokenCalls(), before + 1);
    const refreshed = await world.openConnection(seeded.tenant.id);
    assert.notEqual(refreshed?.accessToken, connection.accessToken);
    assert.equal(refreshed?.status, 'connected');

    // Near the 30-minute expiry the worker refreshes before calling, so HubSpot never sees the old token.
    world.clock.advance(27 * 60_000);
    await world.payDirectly(seeded, 'late@example.com');
    world.clock.advance(1000);
    assert.equal((await worker.runOnce()).synced, 1);
    assert.equal(tokenCalls(), before + 2);

    // The app is uninstalled: its tokens stop working, introspection calls them inactive, so the
    // connection is marked disconnected, the jobs are parked and the merchant API says why.
    assert.deepEqual(v1Calls(), [], 'refreshes use the 2026-03 API too');
    world.hubspot.uninstallApp(seeded.portalId);
    const orphan = await world.payDirectly(seeded, 'orphan@example.com');
    world.clock.advance(1000);
    const broken = await worker.runOnce();
    assert.equal(broken.synced, 0);
    const brokenRow = await world.knex('hubspot_connections').where({ tenant_id: seeded.tenant.id }).first();
    assert.equal(brokenRow.status, 'disconnected');
    assert.match(brokenRow.broken_reason, /uninstalled from HubSpot portal/);
    const waiting = await world.knex('transactions').where({ id: orphan }).first();
    assert.equal(waiting.hubspot_sync_state, 'pending');
    assert.match(waiting.hubspot_last_error, /uninstalled/);
    const job = await world.knex('outbox').where({ transaction_id: orphan }).first();
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 0, 'a broken connection does not use up attempts');
    assert.equal((await worker.runOnce()).claimed, 0, 'a broken tenant is not claimed');
    // The merchant is told, through the merchant API.
    const key = await createApiKey(
      world.knex,
      { tenantId: seeded.tenant.id, livemode: false },
      { name: 'status', scopes: ['transactions:read'], createdBy: null },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const told = (await (
      await fetch(`${world.relay.url}/v1/hubspot`, { headers: { authorization: `Bearer ${key.secret}` } })
    ).json()) as { status: string; reason: string };
    assert.equal(told.status, 'disconnected');
    assert.match(told.reason, /uninstalled/);

    assert.equal((await world.installByOAuth(seeded.tenant.id, seeded.portalId)).status, 200);
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 152) });
    assert.equal(world.hubspot.deals(seeded.portalId).length, 152);
  });
});
