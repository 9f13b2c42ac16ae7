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

  it('never submits a second time when the browser submitted the form but its report was lost', async () => {
    const seeded = await world.seedConnectedTenant('Redirecting Forms Ltd');
    const formGuid = seeded.form.hubspotFormGuid;
    const reportLost = await world.payThroughRoute(seeded, 'ada@example.com');
    const neverSent = await world.payThroughRoute(seeded, 'grace@example.com');
    // The payer's page sent the form to HubSpot (with an email corrected after paying), then
    // redirected before its report reached the relay; other payers keep submitting the form.
    const submitFromPage = (fields: Record<string, string>) =>
      fetch(`${world.hubspot.url}/submissions/v3/integration/submit/${seeded.portalId}/${formGuid}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          submittedAt: String(world.clock.now()),
          fields: Object.entries({ firstname: 'Ada', lastname: 'Lovelace', ...fields }).map(
            ([name, value]) => ({
              objectTypeId: '0-1',
              name,
              value,
            }),
          ),
        }),
      });
    assert.equal(
      (await submitFromPage({ email: 'ada.lovelace@example.com', onepagepay_transaction_id: reportLost }))
        .status,
      200,
    );
    for (let index = 0; index < 60; index++) {
      await submitFromPage({ email: `newsletter${index}@example.com` });
    }
    const worker = world.worker();
    world.clock.advance(1000);
    await drain(worker, world.clock, {
      until: () => allSynced(world.knex, seeded.tenant.id, 2),
      stepMs: 1000,
    });
    world.clock.advance(11 * 60_000);
    const round = await worker.runOnce();
    assert.equal(round.formsSubmitted, 1, 'only the payment whose form HubSpot never received');

    const carrying = (id: string) =>
      world.hubspot
        .formSubmissions(seeded.portalId, formGuid)
        .filter((submission) =>
          submission.fields.some((field) => field.name === 'onepagepay_transaction_id' && field.value === id),
        );
    assert.equal(carrying(reportLost).length, 1, 'one HubSpot submission for the payment, not two');
    assert.equal(carrying(neverSent).length, 1, 'the lost form is still submitted by the relay');
    const rows = await world.knex('transactions').whereIn('id', [reportLost, neverSent]);
    const row = (id: string) => rows.find((candidate) => candidate.id === id);
    assert.equal(row(reportLost)?.form_submitted_by, 'browser');
    assert.equal(row(reportLost)?.submitted_email, 'ada.lovelace@example.com', 'the email HubSpot received');
    assert.equal(row(neverSent)?.form_submitted_by, 'relay');
    assert.equal(row(neverSent)?.submitted_email, 'grace@example.com');
  });

  it('takes the report as text/plain, as a keepalive fetch or sendBeacon sends it while the page leaves', async () => {
    const seeded = await world.seedConnectedTenant('Beacon Co');
    const paid = await world.payThroughRoute(seeded, 'beacon@example.com');
    const body = JSON.stringify({
      tenantId: seeded.tenant.id,
      attemptId: world.attemptIds.get(paid),
      email: 'beacon@example.com',
    });
    const send = (type: string) =>
      fetch(`${world.relay.url}/v1/payments/${paid}/form-submitted`, {
        method: 'POST',
        headers: { 'Content-Type': type, origin: PAGE_ORIGIN },
        body,
      });
    const refused = await send('application/x-www-form-urlencoded');
    assert.equal(refused.status, 415);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'unsupported_media_type',
    );
    const beacon = await send('text/plain;charset=UTF-8');
    assert.equal(beacon.status, 200);
    assert.equal(beacon.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    const [row] = await world.knex('transactions').where({ id: paid });
    assert.equal(row.form_submitted_by, 'browser');
    assert.equal(row.submitted_email, 'beacon@example.com');
  });
});
