import assert from 'node:assert/strict';
import { PAGE_ORIGIN, postJson } from '../../relay/src/testing/payment-fixtures.js';
import { allSynced, drain, HubSpotWorld } from './support.js';

describe('HubSpot push: server-side form submission when the payer closed the tab', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  before(async () => (world = await HubSpotWorld.start()));
  after(() => world?.close());

  it('submits the form after 10 minutes unless the SDK reported the submission', async () => {
    const seeded = await world.seedConnectedTenant();
    const closedTab = await world.payThroughRoute(seeded, 'closed.tab@example.com');
    const submitted = await world.payThroughRoute(seeded, 'stayed@example.com');
    const report = (id: string, body: Record<string, unknown>, origin = PAGE_ORIGIN) =>
      postJson(`${world.relay.url}/v1/payments/${id}/form-submitted`, body, { origin });
    const attemptId = world.attemptIds.get(submitted) as string;

    const foreign = await report(
      submitted,
      { tenantId: seeded.tenant.id, attemptId },
      'https://evil.example',
    );
    assert.equal(foreign.status, 403);
    assert.equal((foreign.body['error'] as { code: string }).code, 'origin_not_allowed');
    const guessed = await report(submitted, {
      tenantId: seeded.tenant.id,
      attemptId: `att_${'x'.repeat(32)}`,
    });
    assert.equal(guessed.status, 404, 'only the page that paid knows the attempt id');
    const preflight = await fetch(`${world.relay.url}/v1/payments/${submitted}/form-submitted`, {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    const reported = await report(submitted, { tenantId: seeded.tenant.id, attemptId, hutk: 'f00dfeed' });
    assert.equal(reported.status, 200, JSON.stringify(reported.body));
    assert.equal(reported.body['formSubmittedBy'], 'browser');
    assert.equal(reported.headers.get('access-control-allow-origin'), PAGE_ORIGIN);

    const worker = world.worker();
    world.clock.advance(1000);
    await drain(worker, world.clock, {
      until: () => allSynced(world.knex, seeded.tenant.id, 2),
      stepMs: 1000,
    });
    const submissions = () => world.hubspot.formSubmissions(seeded.portalId, seeded.form.hubspotFormGuid);
    world.clock.advance(9 * 60_000);
    assert.equal((await worker.runOnce()).formsSubmitted, 0, 'not before the delay');
    assert.equal(submissions().length, 0);

    world.clock.advance(2 * 60_000);
    const round = await worker.runOnce();
    assert.equal(round.formsSubmitted, 1, 'only the payment whose submission was never seen');
    const [submission] = submissions();
    assert.equal(submission?.secure, true);
    const fields = Object.fromEntries((submission?.fields ?? []).map((field) => [field.name, field.value]));
    assert.equal(fields['email'], 'closed.tab@example.com');
    assert.equal(fields['firstname'], 'Ada');
    assert.equal(fields['onepagepay_transaction_id'], closedTab);
    assert.equal(fields['onepagepay_payment_status'], 'succeeded');
    assert.equal(
      submission?.context?.['hutk'],
      'a1b2c3d4e5f6',
      "the payer's HubSpot cookie ties it to their visit",
    );

    const rows = await world
      .knex('transactions')
      .whereIn('id', [closedTab, submitted])
      .orderBy('form_submitted_by');
    assert.deepEqual(
      rows.map((row) => [row.id, row.form_submitted_by]),
      [
        [submitted, 'browser'],
        [closedTab, 'relay'],
      ],
    );
    assert.equal(rows.find((row) => row.id === submitted)?.hutk, 'a1b2c3d4e5f6', 'the first hutk is kept');
    world.clock.advance(60 * 60_000);
    assert.equal((await worker.runOnce()).formsSubmitted, 0, 'never twice');
    const late = await report(closedTab, {
      tenantId: seeded.tenant.id,
      attemptId: world.attemptIds.get(closedTab),
    });
    assert.equal(late.body['formSubmittedBy'], 'relay', 'a late report changes nothing');
  });
});
