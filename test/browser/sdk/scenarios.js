// The payer's journeys, run once per embed mode where the SDK owns the form's submit
// (v2 raw HTML, v2 iframe, v4 developer embed). Every test uses its own configured form.
import { sendKeys } from '@web/test-runner-commands';
import {
  equal,
  fillCard,
  formState,
  makeTarget,
  newForm,
  nextEvent,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';
import { shownTimes, useJourney } from './journey.js';

export function defineScenarios(kind) {
  const journey = useJourney(kind);
  const { driver, handles, setUp, expectPaid } = journey;

  it(`${kind}: pays with 4242 and submits once with the transaction id`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    driver.submitButton(target).click();
    const event = await succeeded;
    equal(event.detail.formId, formId, 'event detail formId');
    const fields = await expectPaid(formId);
    equal(event.detail.transactionId, fields.onepagepay_transaction_id, 'event transaction id');
    await sleep(200);
    equal(submissionsFor(formId).length, 1, 'exactly one submission');
  });

  it(`${kind}: completes 3-D Secure, then submits`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4000002500003155');
    driver.submitButton(target).click();
    await waitFor(
      () => document.querySelector('[data-testid="stripe-sandbox-3ds-modal"]'),
      'the 3-D Secure challenge',
      8000,
    );
    equal(submissionsFor(formId).length, 0, 'nothing submitted before authentication');
    window.__stripeSandbox.completeChallenge('complete');
    await expectPaid(formId);
  });

  it(`${kind}: shows a decline, then the payer fixes the card and pays with a new attempt`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4000000000000002');
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    driver.submitButton(target).click();
    const failure = await failed;
    equal(failure.detail.code, 'card_declined', 'failure code');
    const message = step.querySelector('[aria-live]');
    ok(/declined/i.test(message.textContent), `decline shown in the live region: ${message.textContent}`);
    await sleep(150);
    equal(submissionsFor(formId).length, 0, 'a declined payment never submits the form');
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await expectPaid(formId, { intents: 2 });
  });

  it(`${kind}: an incomplete card shows Stripe's message once, beside the card field, and calls nobody`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4242 4242', '12/34');
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    driver.submitButton(target).click();
    equal((await failed).detail.code, 'validation_error', 'failure code');
    equal(shownTimes(step, 'Your card number is incomplete.'), 1, 'the card error, shown once');
    equal((await formState(formId)).transactions.length, 0, 'no transaction');
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await expectPaid(formId);
  });

  it(`${kind}: a double click and a second Enter charge and submit once`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    const button = driver.submitButton(target);
    button.click();
    button.click();
    await sleep(20);
    button.click();
    await expectPaid(formId);
    await sleep(300);
    equal(submissionsFor(formId).length, 1, 'exactly one submission');
  });

  it(`${kind}: the Enter key in a field pays and submits`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    driver.input(target, 'lastname').focus();
    await sendKeys({ press: 'Enter' });
    await expectPaid(formId);
  });

  it(`${kind}: when the host form's validation fails nothing is charged and HubSpot shows its errors`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target, { email: '', firstname: 'Ada', lastname: 'Lovelace' });
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await waitFor(() => driver.hostErrors(target) > 0, "HubSpot's validation errors");
    await sleep(300);
    equal((await formState(formId)).intents.length, 0, 'no PaymentIntent');
    equal(submissionsFor(formId).length, 0, 'no submission');
    await driver.fill(target);
    driver.submitButton(target).click();
    await expectPaid(formId);
  });

  it(`${kind}: when HubSpot rejects the paid submission, the payer resubmits without paying again`, async () => {
    const { formId, target, step } = await setUp({ definition: { failSubmission: true } });
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    driver.submitButton(target).click();
    await succeeded;
    await waitFor(() => driver.hostFailure(target), "HubSpot's submission error");
    equal(submissionsFor(formId).length, 0, 'HubSpot did not take it');
    window.__hubspotSandbox.definitions[formId].failSubmission = false;
    driver.submitButton(target).click();
    await expectPaid(formId);
  });

  it(`${kind}: when Stripe is down the payer is told before typing, and the form is never sent unpaid`, async () => {
    const { formId, target, step } = await setUp({ stack: 'down' });
    ok(/unavailable/i.test(step.textContent), `outage message: ${step.textContent}`);
    equal(step.querySelector('iframe'), null, 'no card fields are shown');
    await driver.fill(target);
    driver.submitButton(target).click();
    await sleep(400);
    equal(submissionsFor(formId).length, 0, 'no submission');
  });

  it(`${kind}: attaches to a form that renders after the SDK`, async () => {
    const { formId, target, step } = await setUp({ renderLate: true });
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await expectPaid(formId);
  });

  it(`${kind}: two configured forms on one page are paid and submitted independently`, async () => {
    const [first, second] = [await newForm(), await newForm('amount=2500')];
    const [one, two] = [makeTarget(), makeTarget()];
    const ready = new Set();
    document.addEventListener('onepagepay:ready', (event) => ready.add(event.detail.formId));
    const all = window.OnePagePay.attachAll({
      tenantId: journey.env.tenantId,
      relayUrl: journey.env.relayUrl,
    });
    handles.push(all);
    driver.render(first, one);
    driver.render(second, two);
    const [stepOne, stepTwo] = [await driver.step(one), await driver.step(two)];
    await waitFor(() => ready.has(first) && ready.has(second), 'both forms ready');
    await driver.fill(two);
    await fillCard(stepTwo, '4242424242424242');
    driver.submitButton(two).click();
    await expectPaid(second);
    equal(submissionsFor(first).length, 0, 'the other form is untouched');
    equal((await formState(second)).intents[0].amount, 2500, "the second form's price");
    await driver.fill(one);
    await fillCard(stepOne, '5555555555554444');
    driver.submitButton(one).click();
    await expectPaid(first);
  });
}
