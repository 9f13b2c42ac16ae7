// PayPal beside a HubSpot v4 `hs-form-frame` embed, whose document the page cannot reach: the built
// CDN bundle (which fetches its PayPal half), the sandbox's fake PayPal JS SDK and HubSpot frame, a
// real relay and the PayPal sandbox's Orders v2 API. The SDK reads the payer through HubSpotFormsV4
// and writes the transaction id with setFieldValue; the payer then sends the form with its own
// submit (no HubSpot API submits a frame embed), and that one submission carries the id.
import {
  equal,
  fieldsOf,
  formState,
  loadPage,
  makeTarget,
  newForm,
  nextEvent,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';
import { UUID } from './journey.js';

const paypalButton = (step) =>
  waitFor(() => step.querySelector('.paypal-buttons button'), 'the PayPal button', 8000);
const payerWindow = () =>
  waitFor(() => document.querySelector('.paypal-checkout-sandbox'), "PayPal's window", 8000);

describe('SDK with PayPal beside a HubSpot v4 hs-form-frame embed', () => {
  let env;
  const handles = [];
  before(async () => {
    env = await loadPage();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.destroy();
    document.querySelectorAll('.paypal-checkout-sandbox').forEach((dialog) => dialog.remove());
  });

  async function setUp(providers = 'paypal') {
    const formId = await newForm(`providers=${providers}`);
    const target = makeTarget();
    const frameReady = nextEvent(window, 'hs-form-event:on-ready', (event) => event.detail.formId === formId);
    target.innerHTML = `<div class="hs-form-frame" data-region="na1" data-form-id="${formId}" data-portal-id="4242"></div>`;
    const handle = window.OnePagePay.attach({ tenantId: env.tenantId, relayUrl: env.relayUrl, formId });
    handles.push(handle);
    await Promise.all([handle.ready, frameReady]);
    const step = target.querySelector('.opp-step');
    const form = window.HubSpotFormsV4.getForms().find((f) => f.getFormId() === formId);
    for (const [name, value] of Object.entries({
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
    })) {
      form.setFieldValue(`0-1/${name}`, value);
    }
    return { formId, step, form };
  }

  async function valuesOf(form) {
    return Object.fromEntries((await form.getFormFieldValues()).map((f) => [f.name, f.value]));
  }

  /** The payer sends the frame's form with its own submit; HubSpot takes it once. */
  async function sendForm(form) {
    const sent = nextEvent(
      window,
      'hs-form-event:on-submission:success',
      (event) => event.detail.instanceId === form.getInstanceId(),
    );
    window.__hubspotSandbox.pressSubmit(form.getInstanceId());
    await sent;
  }

  /** One order captured once, one transaction, its id in the form and in HubSpot's one submission. */
  async function expectPaidWithPayPal({ formId, step, form }, transactionId) {
    ok(UUID.test(transactionId), `a transaction id: ${transactionId}`);
    const values = await waitFor(async () => {
      const v = await valuesOf(form);
      return v['0-1/onepagepay_transaction_id'] && v;
    }, 'the transaction id in the form');
    equal(values['0-1/onepagepay_transaction_id'], transactionId, 'the id written into the form');
    equal(values['0-1/onepagepay_payment_status'], 'succeeded', 'the status written into the form');
    ok(/submit the form/i.test(step.textContent), `tells the payer to submit: ${step.textContent}`);
    equal(step.querySelector('.paypal-buttons'), null, 'no PayPal button once paid');

    await sendForm(form);
    const submissions = submissionsFor(formId);
    equal(submissions.length, 1, 'one HubSpot submission');
    const fields = fieldsOf(submissions[0]);
    equal(submissions[0].embed, 'v4-frame', 'sent by the frame embed');
    equal(fields.onepagepay_transaction_id, transactionId, 'the submission carries the transaction id');
    equal(fields.onepagepay_payment_status, 'succeeded', 'and the status');

    const state = await formState(formId);
    equal(state.intents.length, 0, 'no Stripe PaymentIntent');
    equal(state.orders.length, 1, 'one PayPal order');
    equal(state.orders[0].status, 'COMPLETED', 'the order is captured');
    equal(state.orders[0].captures.length, 1, 'captured once');
    equal(state.transactions.length, 1, 'one transaction');
    const [paid] = state.transactions;
    equal(paid.id, transactionId, 'the transaction row is the one HubSpot got');
    equal(paid.status, 'succeeded', 'the transaction succeeded');
    equal(paid.provider, 'paypal', 'provider');
    equal(paid.providerPaymentId, state.orders[0].captures[0].id, 'the capture id is recorded');
    await waitFor(
      async () =>
        (await formState(formId)).transactions.find((t) => t.id === paid.id)?.formSubmittedBy === 'browser',
      'the relay to record the browser-reported submission',
    );
    await sleep(200);
    equal(submissionsFor(formId).length, 1, 'still exactly one submission');
  }

  it('approve captures once, records the transaction, writes its id into the form, which is sent once', async () => {
    const setup = await setUp();
    ok(!setup.step.querySelector('iframe'), 'no card fields on a PayPal-only form');
    equal(setup.step.querySelector('button.opp-pay'), null, 'no Pay button of its own: PayPal is the button');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    (await paypalButton(setup.step)).click();
    (await payerWindow()).querySelector('[data-paypal-approve]').click();
    const { detail } = await succeeded;
    equal(detail.formId, setup.formId, 'event detail formId');
    const half = document.querySelector('script[src*="onepagepay-paypal-"]');
    equal(half.integrity, '', 'the PayPal part is not pinned when the script was not (paypal-sri.test.js)');
    await expectPaidWithPayPal(setup, detail.transactionId);
  });

  it('cancel charges nothing, writes nothing, tells the payer, and the payer can retry', async () => {
    const setup = await setUp();
    const { formId, step, form } = setup;
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    (await paypalButton(step)).click();
    (await payerWindow()).querySelector('[data-paypal-cancel]').click();
    equal((await failed).detail.code, 'payment_cancelled', 'failure code');
    ok(!document.querySelector('.paypal-checkout-sandbox'), "PayPal's window is closed");
    const note = [...step.querySelectorAll('.opp-message')].find((m) =>
      /Nothing was charged/.test(m.textContent),
    );
    ok(note, `the payer is told: ${step.textContent}`);
    equal(note.getAttribute('role'), 'status', 'in a live region');
    const values = await valuesOf(form);
    equal(values['0-1/onepagepay_transaction_id'], '', 'no transaction id written');
    equal(values['0-1/onepagepay_payment_status'], '', 'no status written');
    await sleep(200);
    equal(submissionsFor(formId).length, 0, 'a cancelled payment never sends the form');
    const state = await formState(formId);
    equal(state.orders.length, 1, 'one order');
    equal(state.orders[0].captures.length, 0, 'nothing captured');
    ok(!state.transactions.some((t) => t.status === 'succeeded'), 'nothing succeeded');

    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    (await paypalButton(step)).click();
    const second = await payerWindow();
    equal(second.dataset.orderId, state.orders[0].id, 'the retry approves the same order (same attempt)');
    second.querySelector('[data-paypal-approve]').click();
    await expectPaidWithPayPal(setup, (await succeeded).detail.transactionId);
  });

  it('a double click on PayPal and on approve make one order, captured once', async () => {
    const setup = await setUp();
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    const button = await paypalButton(setup.step);
    button.click();
    button.click();
    await sleep(20);
    button.click();
    const approve = (await payerWindow()).querySelector('[data-paypal-approve]');
    equal(document.querySelectorAll('.paypal-checkout-sandbox').length, 1, 'one PayPal window');
    approve.click();
    approve.click();
    await expectPaidWithPayPal(setup, (await succeeded).detail.transactionId);
  });

  it('a form that takes both shows the card fields with their Pay button and PayPal; PayPal pays', async () => {
    const setup = await setUp('stripe,paypal');
    await paypalButton(setup.step);
    ok(setup.step.querySelector('iframe'), 'the card fields');
    ok(setup.step.querySelector('button.opp-pay'), 'the Pay button for the card');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    (await paypalButton(setup.step)).click();
    (await payerWindow()).querySelector('[data-paypal-approve]').click();
    await expectPaidWithPayPal(setup, (await succeeded).detail.transactionId);
  });
});
