// One payer's journey on one embed mode: set up a configured form, and check that it was paid and
// submitted exactly once. Shared by scenarios.js and edges.js.
import {
  embedDriver,
  equal,
  fieldsOf,
  formState,
  loadPage,
  makeTarget,
  newForm,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How often the payer sees `text` in the payment step, the card fields' frame included. */
export function shownTimes(step, text) {
  const frames = [...step.querySelectorAll('iframe')].map((frame) => frame.contentDocument?.body);
  return [step, ...frames].reduce((count, node) => count + (node?.innerText ?? '').split(text).length - 1, 0);
}

/** Registers before/afterEach hooks in the calling describe; returns the journey's steps. */
export function useJourney(kind) {
  const driver = embedDriver(kind);
  const handles = [];
  const journey = { driver, env: undefined, handles };

  before(async () => {
    journey.env = await loadPage();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.destroy();
  });

  journey.setUp = async ({ stack = 'main', renderLate = false, definition = {}, query = '' } = {}) => {
    const formId = await newForm(stack === 'down' ? 'stack=down' : query);
    const target = makeTarget();
    const relay = stack === 'down' ? journey.env.down : journey.env;
    if (!renderLate) driver.render(formId, target, definition);
    const handle = window.OnePagePay.attach({ tenantId: relay.tenantId, relayUrl: relay.relayUrl, formId });
    handles.push(handle);
    if (renderLate) {
      await sleep(150);
      driver.render(formId, target);
    }
    await handle.ready;
    const step = await driver.step(target);
    return { formId, target, step, handle };
  };

  journey.paidSubmission = async (formId) => {
    const [submission] = await waitFor(
      () => submissionsFor(formId).length && submissionsFor(formId),
      `the HubSpot submission of ${formId}`,
      8000,
    ).catch((error) => {
      const messages = [...document.querySelectorAll('.opp-message')].map((m) => m.textContent).join(' | ');
      throw new Error(`${error.message}; messages now: ${messages}`);
    });
    return fieldsOf(submission);
  };

  journey.expectPaid = async (formId, { intents = 1, email = 'ada@example.com' } = {}) => {
    const fields = await journey.paidSubmission(formId);
    ok(
      UUID.test(fields.onepagepay_transaction_id),
      `transaction id in the submission: ${fields.onepagepay_transaction_id}`,
    );
    equal(fields.onepagepay_payment_status, 'succeeded', 'status in the submission');
    equal(fields.email, email, 'email in the submission');
    const state = await formState(formId);
    equal(state.intents.filter((i) => i.status === 'succeeded').length, 1, 'one succeeded PaymentIntent');
    equal(state.intents.length, intents, 'PaymentIntents made');
    const paid = state.transactions.find((t) => t.status === 'succeeded');
    equal(paid?.id, fields.onepagepay_transaction_id, 'the transaction row is the one HubSpot got');
    // The SDK reports HubSpot's success to the relay (POST /v1/payments/:id/form-submitted).
    await waitFor(
      async () =>
        (await formState(formId)).transactions.find((t) => t.id === paid.id)?.formSubmittedBy === 'browser',
      'the relay to record the browser-reported submission',
    );
    return fields;
  };

  return journey;
}
