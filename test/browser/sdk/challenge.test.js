// A tenant that asks for a CAPTCHA on every payment: the SDK loads the widget's api.js (the
// sandbox's Turnstile fake, named by the relay's form config) with the page's nonce, renders it in
// the payment step and sends its token with the payment; the relay verifies it at siteverify.
import {
  embedDriver,
  equal,
  fillCard,
  formState,
  loadPage,
  makeTarget,
  newForm,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';

const NONCE = 'c4ptcha-n0nce';
const driver = embedDriver('v2-inline');

describe('SDK with a tenant that asks for a CAPTCHA (Turnstile fake)', () => {
  let environment;
  const handles = [];

  before(async () => {
    environment = await loadPage();
  });
  afterEach(async () => {
    for (const handle of handles.splice(0)) handle.destroy();
    await fetch('/__control/challenge-verdict?mode=as-solved');
  });

  async function setUp(query = '') {
    const formId = await newForm(`challenge=always&${query}`);
    const target = makeTarget();
    driver.render(formId, target);
    const handle = window.OnePagePay.attach({
      tenantId: environment.challengeTenantId,
      relayUrl: environment.relayUrl,
      formId,
      nonce: NONCE,
    });
    handles.push(handle);
    await handle.ready;
    const step = await driver.step(target);
    const box = await waitFor(
      () => step.querySelector('.opp-challenge input[type=checkbox]'),
      'the CAPTCHA widget in the payment step',
    );
    return { formId, target, step, box };
  }
  const messageOf = (step) => step.querySelector(':scope > .opp-message').textContent;
  const solve = async (box) => {
    box.click();
    await waitFor(() => window.turnstile.getResponse(), 'the widget to hand out a token');
  };

  it('loads the widget once with the nonce, refuses a payment without a token, pays once solved', async () => {
    const { formId, target, step, box } = await setUp();
    const scripts = [...document.querySelectorAll('script[src*="/turnstile/v0/api.js"]')];
    equal(scripts.length, 1, 'one api.js');
    equal(scripts[0].nonce, NONCE, "the page's nonce on the injected script");
    equal(new URL(scripts[0].src).searchParams.get('render'), 'explicit');

    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await waitFor(
      () => messageOf(step) === 'Solve the CAPTCHA, then send the payment again.',
      'the relay’s refusal, told to the payer',
    );
    const refused = await formState(formId);
    equal(refused.intents.length, 0, 'nothing charged');
    equal(refused.transactions.length, 0, 'no transaction');
    equal(submissionsFor(formId).length, 0, 'the form was not sent');

    await solve(box);
    driver.submitButton(target).click();
    await waitFor(() => submissionsFor(formId).length === 1, 'the paid submission', 8000);
    const paid = await formState(formId);
    equal(paid.intents.length, 1, 'one PaymentIntent');
    equal(paid.intents[0].status, 'succeeded');
    equal(paid.transactions.filter((row) => row.status === 'succeeded').length, 1, 'one payment');
    await sleep(200);
    equal(submissionsFor(formId).length, 1, 'sent once');
  });

  it('a token siteverify refuses: a clear message, no charge, the form not sent, the widget reset', async () => {
    await fetch('/__control/challenge-verdict?mode=fail');
    const { formId, target, step, box } = await setUp();
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    await solve(box);
    driver.submitButton(target).click();
    await waitFor(
      () => messageOf(step) === 'The CAPTCHA was not solved or has expired. Solve it again.',
      'the relay’s refusal of the token',
    );
    await sleep(300);
    const state = await formState(formId);
    equal(state.intents.length, 0, 'nothing charged');
    equal(state.transactions.length, 0, 'no transaction');
    equal(submissionsFor(formId).length, 0, 'the form was not sent');
    ok(!box.checked && !window.turnstile.getResponse(), 'the spent token is gone: the payer solves again');

    // Solved again while siteverify answers honestly, the same payer pays.
    await fetch('/__control/challenge-verdict?mode=as-solved');
    await solve(box);
    driver.submitButton(target).click();
    await waitFor(() => submissionsFor(formId).length === 1, 'the paid submission', 8000);
    equal((await formState(formId)).intents.length, 1, 'one charge');
  });

  it('PayPal: the order is refused without a token and created once the CAPTCHA is solved', async () => {
    const { formId, target, step, box } = await setUp('providers=paypal');
    await driver.fill(target);
    const button = await waitFor(
      () => step.querySelector('.paypal-buttons button'),
      'the PayPal button',
      8000,
    );
    button.click();
    await waitFor(
      () => messageOf(step) === 'Solve the CAPTCHA, then send the payment again.',
      'the relay’s refusal of the order',
    );
    ok(!document.querySelector('.paypal-checkout-sandbox'), "PayPal's window never opened");
    equal((await formState(formId)).orders.length, 0, 'no PayPal order');

    await solve(box);
    button.click();
    const payerWindow = await waitFor(
      () => document.querySelector('.paypal-checkout-sandbox'),
      "PayPal's window",
      8000,
    );
    payerWindow.querySelector('[data-paypal-approve]').click();
    await waitFor(() => submissionsFor(formId).length === 1, 'the paid submission', 8000);
    const state = await formState(formId);
    equal(state.orders.length, 1, 'one order');
    equal(state.orders[0].captures.length, 1, 'captured once');
  });
});
