import assert from 'node:assert/strict';
import { createApiKey } from '../../relay/src/merchants/api-keys.js';
import { allSynced, countByState, drain, HubSpotWorld } from './support.js';

/**
 * Issue 13's acceptance, against a sandbox that refuses what HubSpot refuses: one bad record never
 * sinks a batch, a currency the portal lacks is named, and a form without the hidden fields is
 * reported before the first payment. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
describe('HubSpot push: as strict as HubSpot', function () {
  this.timeout(120_000);
  let world: HubSpotWorld;
  beforeEach(async () => (world = await HubSpotWorld.start()));
  afterEach(() => world?.close());

  const deadJobs = (tenantId: string) =>
    world
      .knex('outbox')
      .where({ tenant_id: tenantId, status: 'dead' })
      .select('transaction_id', 'attempts', 'last_error');

  it('syncs 99 of a batch of 100 and dead-letters only the record HubSpot refuses, with its message', async () => {
    // EUR is enabled when the relay reads the portal, then an admin turns it off: only HubSpot knows.
    const seeded = await world.seedConnectedTenant('Mostly Good Ltd', {
      portal: { currencies: ['USD', 'EUR'] },
    });
    world.hubspot.configurePortal(seeded.portalId, { currencies: ['USD'] });
    const emails = Array.from({ length: 100 }, (_, index) => `buyer${index}@example.com`);
    const ids = await world.payDirectlyMany(seeded, emails, (index) => (index === 37 ? 'EUR' : 'USD'));
    const bad = ids[37] as string;
    world.hubspot.resetStats();
    const worker = world.worker();
    const rounds = await drain(worker, world.clock, {
      until: async () =>
        (await allSynced(world.knex, seeded.tenant.id, 99)) &&
        (await deadJobs(seeded.tenant.id)).length === 1,
    });

    assert.equal(rounds.length <= 3, true, `done in ${rounds.length} rounds`);
    assert.equal(world.hubspot.deals(seeded.portalId).length, 99);
    assert.ok(
      !world.hubspot
        .deals(seeded.portalId)
        .some((deal) => deal.properties['onepagepay_transaction_id'] === bad),
    );
    const [dead] = await deadJobs(seeded.tenant.id);
    assert.equal(dead?.transaction_id, bad);
    assert.equal(dead?.attempts, 1, 'dead-lettered at once, not retried');
    assert.match(
      String(dead?.last_error),
      /HubSpot answered 400: Property values were not valid: deal_currency_code: EUR was not one of the allowed options \(INVALID_OPTION\)/,
    );
    assert.deepEqual(await countByState(world.knex, seeded.tenant.id), { synced: 99, failed: 1 });
    // Halving: the refused batch, then log2(100) levels of halves down to the one bad record.
    const deals = world.hubspot.stats().byPath['POST /crm/v3/objects/deals/batch/upsert'] ?? 0;
    assert.ok(deals <= 16, `${deals} deal upserts`);
  });

  it('dead-letters a deal in a currency the portal has not enabled, naming the currency, without calling HubSpot for it', async () => {
    const seeded = await world.seedConnectedTenant('Euro Shop GmbH');
    const [euro, dollar] = await world.payDirectlyMany(
      seeded,
      ['eu@example.com', 'us@example.com'],
      (index) => (index === 0 ? 'EUR' : 'USD'),
    );
    const worker = world.worker();
    await drain(worker, world.clock, {
      until: async () =>
        (await allSynced(world.knex, seeded.tenant.id, 1)) && (await deadJobs(seeded.tenant.id)).length === 1,
    });
    const [dead] = await deadJobs(seeded.tenant.id);
    assert.equal(dead?.transaction_id, euro);
    assert.equal(dead?.attempts, 1);
    assert.equal(
      dead?.last_error,
      `HubSpot portal ${seeded.portalId} has not enabled the currency EUR (enabled: USD): add it in HubSpot ` +
        'under Settings › Account defaults › Currencies, then run `hubspot replay`.',
    );
    const deals = world.hubspot.deals(seeded.portalId);
    assert.deepEqual(
      deals.map((deal) => deal.properties['onepagepay_transaction_id']),
      [dollar],
    );
    const row = await world.knex('transactions').where({ id: euro }).first();
    assert.equal(row.hubspot_sync_state, 'failed');
    assert.match(row.hubspot_last_error, /currency EUR/);
  });

  it('maps a form configured with pipeline and stage labels to their internal ids', async () => {
    const seeded = await world.seedConnectedTenant('Labels Inc');
    await world
      .knex('forms')
      .where({ id: seeded.form.id })
      .update({ hubspot_pipeline: 'Sales Pipeline', hubspot_deal_stage: 'Closed Won' });
    await world.payDirectly(seeded, 'label@example.com');
    await drain(world.worker(), world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 1) });
    const [deal] = world.hubspot.deals(seeded.portalId);
    assert.equal(deal?.properties['pipeline'], 'default');
    assert.equal(deal?.properties['dealstage'], 'closedwon');
  });

  it('says before the first payment that the form lacks the hidden fields, then submits without them, never retrying', async () => {
    // The merchant's form as HubSpot's editor makes it: email (required), first and last name.
    const seeded = await world.seedConnectedTenant('Plain Form Co', {
      formFields: ['email', 'firstname', 'lastname'],
    });
    const scope = { tenantId: seeded.tenant.id, livemode: false };
    const key = await createApiKey(
      world.knex,
      scope,
      { name: 'status', scopes: ['transactions:read'], createdBy: null },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const response = await fetch(`${world.relay.url}/v1/hubspot`, {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    assert.equal(response.status, 200);
    const report = (await response.json()) as {
      status: string;
      timeZone: string;
      currencies: string[];
      forms: Array<{ hubspotFormGuid: string; missingFields: string[]; checkedAt: string | null }>;
    };
    assert.equal(report.status, 'connected');
    assert.equal(report.timeZone, 'US/Eastern');
    assert.deepEqual(report.currencies, ['USD']);
    assert.equal(report.forms[0]?.hubspotFormGuid, seeded.form.hubspotFormGuid);
    assert.deepEqual(report.forms[0]?.missingFields, [
      'onepagepay_transaction_id',
      'onepagepay_payment_status',
    ]);
    assert.ok(report.forms[0]?.checkedAt, 'read on connect');
    assert.equal(
      (await world.knex('transactions').where({ tenant_id: seeded.tenant.id })).length,
      0,
      'before any payment',
    );

    const paid = await world.payDirectly(seeded, 'plain@example.com');
    const worker = world.worker();
    await drain(worker, world.clock, { until: () => allSynced(world.knex, seeded.tenant.id, 1) });
    world.clock.advance(11 * 60_000);
    assert.equal((await worker.runOnce()).formsSubmitted, 1);
    const [submission] = world.hubspot.formSubmissions(seeded.portalId, seeded.form.hubspotFormGuid);
    assert.deepEqual(
      submission?.fields.map((field) => field.name),
      ['email', 'firstname', 'lastname'],
    );
    const jobs = await world.knex('outbox').where({ transaction_id: paid });
    assert.deepEqual(
      jobs.map((job) => [job.topic, job.status, job.attempts]).sort(),
      [
        ['hubspot.form_submission', 'done', 0],
        ['hubspot.transaction', 'done', 0],
      ],
      'no attempt failed',
    );
  });

  it('answers GET /v1/hubspot only with a valid key, and without tokens', async () => {
    const seeded = await world.seedConnectedTenant('Private Ltd');
    for (const authorization of [
      '',
      'Bearer opp_test_nope',
      `Bearer ${'x'.repeat(5000)}`,
      "Bearer ' or 1=1 --",
    ]) {
      const response = await fetch(`${world.relay.url}/v1/hubspot`, { headers: { authorization } });
      assert.equal(response.status, 401, authorization.slice(0, 30));
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(typeof body.error.code, 'string');
    }
    const key = await createApiKey(
      world.knex,
      { tenantId: seeded.tenant.id, livemode: false },
      { name: 'status', scopes: ['contacts:read'], createdBy: null },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const wrongScope = await fetch(`${world.relay.url}/v1/hubspot`, {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    assert.equal(wrongScope.status, 403);
    const connection = await world.openConnection(seeded.tenant.id);
    const full = await createApiKey(
      world.knex,
      { tenantId: seeded.tenant.id, livemode: false },
      { name: 'status', scopes: ['transactions:read'], createdBy: null },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const text = await (
      await fetch(`${world.relay.url}/v1/hubspot?portal=1&x=${'y'.repeat(2000)}`, {
        headers: { authorization: `Bearer ${full.secret}` },
      })
    ).text();
    assert.ok(!text.includes(connection?.accessToken as string), 'never a token');
    assert.match(text, /"object":"hubspot_status"/);
  });
});
