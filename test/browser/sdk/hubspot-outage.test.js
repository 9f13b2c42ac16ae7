// HubSpot down would reject the form after the payer paid. The relay probes HubSpot in the
// background; the SDK reads GET /v1/status before it renders card fields and, when HubSpot is down,
// tells the payer at once and never charges. Runs against a relay whose probe asks a HubSpot
// sandbox that the test takes down and brings back.
import {
  embedDriver,
  equal,
  loadPage,
  makeTarget,
  newForm,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';

const outage = async (mode) => (await fetch(`/__control/hubspot-outage?stack=hubspot&mode=${mode}`)).json();

describe('SDK when HubSpot is down', () => {
  const driver = embedDriver('v2-inline');
  const handles = [];
  before(async () => {
    await loadPage();
  });
  afterEach(async () => {
    for (const handle of handles.splice(0)) handle.destroy();
    await outage('none');
  });

  async function attachTo(relay) {
    const formId = await newForm('stack=hubspot');
    const target = makeTarget();
    driver.render(formId, target);
    const handle = window.OnePagePay.attach({ tenantId: relay.tenantId, relayUrl: relay.relayUrl, formId });
    handles.push(handle);
    await handle.ready;
    return { formId, target, step: await driver.step(target) };
  }

  it('warns the payer before they start, shows no card fields and never sends the form unpaid', async () => {
    const relay = await outage('down');
    ok(
      relay.elapsedMs < relay.probeIntervalMs * 2 + 1000,
      `the relay saw the outage within a probe interval (${relay.elapsedMs} ms)`,
    );
    const { formId, target, step } = await attachTo(relay);
    await waitFor(() => /unavailable/i.test(step.textContent), 'the outage message');
    equal(step.querySelector('iframe'), null, 'no card fields');
    await driver.fill(target);
    driver.submitButton(target).click();
    await sleep(300);
    equal(submissionsFor(formId).length, 0, 'the form is never sent unpaid');
  });

  it('offers the card fields again once HubSpot is back', async () => {
    await outage('down');
    const relay = await outage('none');
    const { step } = await attachTo(relay);
    await waitFor(() => step.querySelector('iframe'), 'the card fields');
    ok(!/unavailable/i.test(step.textContent), `no outage message: ${step.textContent}`);
  });
});
