// PayPal Buttons in HubSpot forms, run per embed mode the SDK owns the submit of: the built CDN
// bundle (which fetches its PayPal half), the sandbox's fake PayPal JS SDK, a real relay, and the
// PayPal sandbox's Orders v2 API behind it. The payer's window is the fake's dialog.
import { equal, fillCard, formState, nextEvent, ok, sleep, submissionsFor, waitFor } from './helpers.js';
import { useJourney } from './journey.js';

const paypalButton = (step) =>
  waitFor(() => step.querySelector('.paypal-buttons button'), 'the PayPal button', 8000);
const payerWindow = () =>
  waitFor(() => document.querySelector('.paypal-checkout-sandbox'), "PayPal's window", 8000);
const noWindow = () => !document.querySelector('.paypal-checkout-sandbox');

export function definePayPalScenarios(kind) {
  const journey = useJourney(kind);
  const { driver, setUp } = journey;

  /** Paid once through PayPal: one order, one capture, one transaction, one HubSpot submission. */
  async function expectPaidWithPayPal(formId) {
    const fields = await journey.paidSubmission(formId);
    equal(fields.onepagepay_payment_status, 'succeeded', 'status in the submission');
    const state = await formState(formId);
    equal(state.intents.length, 0, 'no Stripe PaymentIntent');
    equal(state.orders.length, 1, 'one PayPal order');
    equal(state.orders[0].status, 'COMPLETED', 'the order is captured');
    equal(state.orders[0].captures.length, 1, 'captured once');
    const [paid] = state.transactions.filter((t) => t.status === 'succeeded');
    equal(state.transactions.length, 1, 'one transaction');
    equal(paid?.id, fields.onepagepay_transaction_id, 'the transaction row is the one HubSpot got');
    equal(paid.provider, 'paypal', 'provider');
    equal(paid.providerPaymentId, state.orders[0].captures[0].id, 'the capture id is recorded');
    await waitFor(
      async () =>
        (await formState(formId)).transactions.find((t) => t.id === paid.id)?.formSubmittedBy === 'browser',
      'the relay to record the browser-reported submission',
    );
    await sleep(200);
    equal(submissionsFor(formId).length, 1, 'exactly one submission');
  }

  it(`${kind}: PayPal approve captures once, records the transaction and submits once`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=paypal' });
    ok(!step.querySelector('iframe'), 'no card fields on a PayPal-only form');
    await driver.fill(target);
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    (await paypalButton(step)).click();
    (await payerWindow()).querySelector('[data-paypal-approve]').click();
    const event = await succeeded;
    equal(event.detail.formId, formId, 'event detail formId');
    await expectPaidWithPayPal(formId);
    ok(/Paid \$49\.00/.test(document.body.textContent), 'the receipt is shown');
  });

  it(`${kind}: PayPal cancel charges nothing, tells the payer, and the payer can retry`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=paypal' });
    await driver.fill(target);
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    (await paypalButton(step)).click();
    (await payerWindow()).querySelector('[data-paypal-cancel]').click();
    equal((await failed).detail.code, 'payment_cancelled', 'failure code');
    ok(noWindow(), "PayPal's window is closed");
    const note = step.querySelector('.opp-buttons .opp-message, .opp-element .opp-message');
    ok(/Nothing was charged/.test(note?.textContent ?? ''), `the payer is told: ${step.textContent}`);
    equal(note.getAttribute('role'), 'status', 'in a live region');
    await sleep(200);
    equal(submissionsFor(formId).length, 0, 'a cancelled payment never submits the form');
    let state = await formState(formId);
    equal(state.orders.length, 1, 'one order');
    equal(state.orders[0].captures.length, 0, 'nothing captured');
    ok(!state.transactions.some((t) => t.status === 'succeeded'), 'nothing succeeded');

    (await paypalButton(step)).click();
    const second = await payerWindow();
    equal(second.dataset.orderId, state.orders[0].id, 'the retry approves the same order (same attempt)');
    ok(!/Nothing was charged/.test(note.textContent), 'the old message is gone');
    second.querySelector('[data-paypal-approve]').click();
    await expectPaidWithPayPal(formId);
    state = await formState(formId);
    equal(state.orders.length, 1, 'still one order');
  });

  it(`${kind}: PayPal declines the funding source: told, nothing sent, the payer approves again and pays once`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=paypal' });
    await driver.fill(target);
    window.__paypalSandbox.buyer = { instrument: 'declined' };
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    try {
      (await paypalButton(step)).click();
      (await payerWindow()).querySelector('[data-paypal-approve]').click();
      const failure = await failed;
      equal(failure.detail.code, 'instrument_declined', 'failure code');
    } finally {
      window.__paypalSandbox.buyer = null;
    }
    ok(
      /PayPal declined that payment method/.test(step.textContent),
      `the payer is told: ${step.textContent}`,
    );
    await sleep(150);
    equal(submissionsFor(formId).length, 0, 'nothing sent');
    (await paypalButton(step)).click();
    (await payerWindow()).querySelector('[data-paypal-approve]').click();
    await expectPaidWithPayPal(formId);
  });

  it(`${kind}: a double click on PayPal and on approve make one order, captured once`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=paypal' });
    await driver.fill(target);
    const button = await paypalButton(step);
    button.click();
    button.click();
    await sleep(20);
    button.click();
    const approve = (await payerWindow()).querySelector('[data-paypal-approve]');
    equal(document.querySelectorAll('.paypal-checkout-sandbox').length, 1, 'one PayPal window');
    approve.click();
    approve.click();
    await expectPaidWithPayPal(formId);
  });

  it(`${kind}: HubSpot's validation runs before PayPal opens; the form's submit points at PayPal`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=paypal' });
    await driver.fill(target, { email: '', firstname: 'Ada', lastname: 'Lovelace' });
    (await paypalButton(step)).click();
    await waitFor(() => driver.hostErrors(target) > 0, "HubSpot's error on the empty email");
    await sleep(100);
    ok(noWindow(), 'PayPal does not open for a form HubSpot refuses');
    equal((await formState(formId)).orders.length, 0, 'no order');
    await driver.fill(target);
    driver.submitButton(target).click();
    await waitFor(() => /PayPal button/.test(step.textContent), 'the hint to use the PayPal button');
    await sleep(150);
    equal(submissionsFor(formId).length, 0, 'the form is not sent unpaid');
  });

  it(`${kind}: a form that takes both shows the card fields and PayPal, and the card still pays`, async () => {
    const { formId, target, step } = await setUp({ query: 'providers=stripe,paypal' });
    await paypalButton(step);
    ok(step.querySelector('iframe'), 'the card fields');
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await journey.expectPaid(formId);
    equal((await formState(formId)).orders.length, 0, 'no PayPal order');
  });
}
