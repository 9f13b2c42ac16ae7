// A two-step v4 developer-embed form: the payer's details on step 1, a question and the submit on
// step 2. The payment step lives on the last step beside its submit button, shows only there, and
// Next/Back/Enter on an earlier step stay HubSpot's.
import { sendKeys } from '@web/test-runner-commands';
import {
  equal,
  fillCard,
  formState,
  nextEvent,
  ok,
  PAYER,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';
import { shownTimes, useJourney } from './journey.js';

const TWO_STEPS = {
  fields: [
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'firstname', label: 'First name', required: true },
    { name: 'lastname', label: 'Last name', required: true },
    { name: 'company', label: 'Company', step: 1 },
    { name: 'onepagepay_transaction_id', type: 'hidden', step: 1 },
    { name: 'onepagepay_payment_status', type: 'hidden', step: 1 },
  ],
};

describe('SDK on a two-step HubSpot v4 form', () => {
  const { driver, setUp, expectPaid } = useJourney('v4-html');
  const stepsOf = (target) => [...target.querySelectorAll('.hsfc-Step')];
  const shown = (element) => element.getClientRects().length > 0;
  const press = (target, label) =>
    [...target.querySelectorAll('.hsfc-Step button')]
      .find((b) => shown(b) && b.textContent === label)
      .click();

  it('puts the payment beside the submit button of the last step, shown only on that step', async () => {
    const { target, step } = await setUp({ definition: TWO_STEPS });
    const [first, last] = stepsOf(target);
    ok(last.contains(step), 'the payment step is on the last step');
    equal(step.nextElementSibling, last.querySelector('.hsfc-NavigationRow'), 'right above its buttons');
    ok(shown(first) && !shown(step), 'hidden while the payer is on step 1');
    await driver.fill(target);
    press(target, 'Next');
    await waitFor(() => shown(step), 'the payment step on step 2');
    press(target, 'Back');
    await waitFor(() => !shown(step), 'hidden again on step 1');
  });

  it('Enter on step 1 moves to step 2; Next without a card, then Submit shows the card error where the payer is', async () => {
    const { formId, target, step } = await setUp({ definition: TWO_STEPS });
    await driver.fill(target);
    driver.input(target, 'lastname').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shown(step), 'step 2 after Enter');
    equal(step.querySelector('.opp-message').textContent, '', 'the SDK took no Enter on step 1');
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    press(target, 'Submit');
    await failed;
    await waitFor(() => shownTimes(step, 'Your card number is incomplete.') === 1, 'the card error, visible');
    ok(shown(step), 'on the step the payer sees');
    equal((await formState(formId)).intents.length, 0, 'nothing charged');
    press(target, 'Back');
    press(target, 'Next');
    await fillCard(step, '4242424242424242');
    driver.input(target, 'company').focus();
    await sendKeys({ press: 'Enter' });
    await expectPaid(formId);
    await sleep(200);
    equal(submissionsFor(formId).length, 1, 'one submission');
  });

  it('a step-1 error stays HubSpot’s: nothing is charged and the payer is not moved on', async () => {
    const { formId, target, step } = await setUp({ definition: TWO_STEPS });
    await driver.fill(target, { ...PAYER, email: 'ada@example.c' });
    driver.input(target, 'email').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => driver.hostErrorText(target).includes(driver.emailMessage), "HubSpot's message");
    ok(!shown(step), 'still on step 1');
    await sleep(300);
    equal((await formState(formId)).intents.length, 0, 'nothing charged');
  });
});
