// The v4 `hs-form-frame` embed renders in a frame the page cannot reach: the SDK places the payment
// step beside it with its own Pay button, reads the payer through HubSpotFormsV4, and writes the
// transaction id into the form with setFieldValue. It must never say a form was paid when it was not.
import {
  equal,
  fillCard,
  formState,
  loadPage,
  makeTarget,
  newForm,
  nextEvent,
  ok,
  sleep,
  waitFor,
} from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SDK beside a HubSpot v4 hs-form-frame embed', () => {
  let env;
  const handles = [];
  before(async () => {
    env = await loadPage();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.destroy();
  });

  async function setUp(stack = env) {
    const formId = await newForm(stack === env ? '' : 'stack=down');
    const target = makeTarget();
    // The payer types once the frame has rendered (its on-ready), as in a real page.
    const frameReady = nextEvent(window, 'hs-form-event:on-ready', (event) => event.detail.formId === formId);
    target.innerHTML = `<div class="hs-form-frame" data-region="na1" data-form-id="${formId}" data-portal-id="4242"></div>`;
    const handle = window.OnePagePay.attach({ tenantId: stack.tenantId, relayUrl: stack.relayUrl, formId });
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

  it('places the step after the frame and pays with its own button, then writes the transaction id', async () => {
    const { formId, step, form } = await setUp();
    ok(
      step.previousElementSibling?.classList.contains('hs-form-frame'),
      'the step sits right after the frame',
    );
    await fillCard(step, '4242424242424242');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    const pay = step.querySelector('button.opp-pay');
    pay.click();
    pay.click();
    const { detail } = await succeeded;
    const values = await waitFor(async () => {
      const v = await valuesOf(form);
      return v['0-1/onepagepay_transaction_id'] && v;
    }, 'the transaction id in the form');
    equal(values['0-1/onepagepay_transaction_id'], detail.transactionId, 'the id HubSpot will submit');
    ok(UUID.test(detail.transactionId), 'a transaction id');
    equal(values['0-1/onepagepay_payment_status'], 'succeeded', 'status');
    ok(/submit the form/i.test(step.textContent), `tells the payer to submit: ${step.textContent}`);
    await sleep(200);
    equal((await formState(formId)).intents.length, 1, 'the double click charged once');
  });

  // The frame hides HubSpot's own validation from the page, so the relay applies HubSpot's rule,
  // down to a top-level domain that exists, and answers with HubSpot's words.
  for (const email of ['ada@example.c', 'ada@example.comm']) {
    it(`refuses ${email} with HubSpot's message before anything is charged`, async () => {
      const { formId, step, form } = await setUp();
      form.setFieldValue('0-1/email', email);
      await fillCard(step, '4242424242424242');
      const failed = nextEvent(document, 'onepagepay:payment-failed');
      step.querySelector('button.opp-pay').click();
      equal((await failed).detail.code, 'invalid_email', 'the relay refused the email');
      ok(
        /Email must be formatted correctly\./.test(step.textContent),
        `HubSpot's message: ${step.textContent}`,
      );
      const state = await formState(formId);
      equal(state.intents.length, 0, 'no PaymentIntent');
      equal(state.transactions.length, 0, 'no transaction');
      form.setFieldValue('0-1/email', 'ada@example.com');
      step.querySelector('button.opp-pay').click();
      await waitFor(
        async () => (await valuesOf(form))['0-1/onepagepay_payment_status'] === 'succeeded',
        'paid once the email is corrected',
        8000,
      );
    });
  }

  it('runs 3-D Secure from the Pay button', async () => {
    const { formId, step, form } = await setUp();
    await fillCard(step, '4000002500003155');
    step.querySelector('button.opp-pay').click();
    await waitFor(
      () => document.querySelector('[data-testid="stripe-sandbox-3ds-modal"]'),
      '3-D Secure',
      8000,
    );
    window.__stripeSandbox.completeChallenge('complete');
    await waitFor(
      async () => (await valuesOf(form))['0-1/onepagepay_payment_status'] === 'succeeded',
      'paid',
      8000,
    );
    equal((await formState(formId)).transactions[0].status, 'succeeded', 'the transaction row');
  });

  it('a failed 3-D Secure is never reported as paid, and the payer can retry', async () => {
    const { step, form } = await setUp();
    await fillCard(step, '4000002500003155');
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    step.querySelector('button.opp-pay').click();
    await waitFor(
      () => document.querySelector('[data-testid="stripe-sandbox-3ds-modal"]'),
      '3-D Secure',
      8000,
    );
    window.__stripeSandbox.completeChallenge('fail');
    equal((await failed).detail.code, 'payment_authentication_failed', 'failure code');
    equal((await valuesOf(form))['0-1/onepagepay_transaction_id'], '', 'no transaction id written');
    ok(!/received/i.test(step.textContent), `never claims payment: ${step.textContent}`);
    await fillCard(step, '4242424242424242');
    step.querySelector('button.opp-pay').click();
    await waitFor(
      async () => (await valuesOf(form))['0-1/onepagepay_payment_status'] === 'succeeded',
      'paid',
      8000,
    );
  });

  /** Renders a frame that takes `frameLoadMs` after rendering before it listens to the page. */
  async function attachToSlowFrame(frameLoadMs) {
    const formId = await newForm();
    window.__hubspotSandbox.defineForm(formId, { frameLoadMs });
    const target = makeTarget();
    const frameReady = nextEvent(window, 'hs-form-event:on-ready', (event) => event.detail.formId === formId);
    target.innerHTML = `<div class="hs-form-frame" data-region="na1" data-form-id="${formId}" data-portal-id="4242"></div>`;
    const handle = window.OnePagePay.attach({ tenantId: env.tenantId, relayUrl: env.relayUrl, formId });
    handles.push(handle);
    return { formId, target, handle, frameReady };
  }

  it('is ready while the frame is still loading, and pays once the frame listens', async () => {
    const { target, handle, frameReady } = await attachToSlowFrame(6000);
    let frameListens = false;
    void frameReady.then(() => (frameListens = true));
    // The SDK's check for the hidden fields goes unanswered until then: `ready` must not wait on it.
    await handle.ready;
    ok(!frameListens, 'ready came before the frame listened');
    const { detail } = await frameReady;
    const form = window.HubSpotFormsV4.getFormFromEvent({ detail });
    for (const [name, value] of Object.entries({
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
    })) {
      form.setFieldValue(`0-1/${name}`, value);
    }
    const step = target.querySelector('.opp-step');
    await fillCard(step, '4242424242424242');
    const succeeded = nextEvent(document, 'onepagepay:payment-succeeded');
    step.querySelector('button.opp-pay').click();
    ok(UUID.test((await succeeded).detail.transactionId), 'paid');
  });

  it('tells the payer, and charges nothing, when the frame never answers', async () => {
    const { formId, target, handle } = await attachToSlowFrame(120_000);
    await handle.ready;
    const step = target.querySelector('.opp-step');
    await fillCard(step, '4242424242424242');
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    step.querySelector('button.opp-pay').click();
    equal((await failed).detail.code, 'form_unreachable', 'failure code');
    ok(/still loading/i.test(step.textContent), `tells the payer: ${step.textContent}`);
    ok(/not charged/i.test(step.textContent), `says nothing was charged: ${step.textContent}`);
    const state = await formState(formId);
    equal(state.intents.length + state.transactions.length, 0, 'no PaymentIntent and no transaction');
  });

  it('shows the outage instead of card fields when Stripe is down', async () => {
    const { step } = await setUp(env.down);
    ok(/unavailable/i.test(step.textContent), step.textContent);
    equal(step.querySelector('iframe'), null, 'no card fields');
  });

  it('shows the amount on its Pay button', async () => {
    const { step } = await setUp();
    const price = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(49);
    equal(step.querySelector('button.opp-pay').textContent, `Pay ${price}`);
  });

  it('once HubSpot took the form unpaid, says so and offers no way to pay for it', async () => {
    const { formId, step, form } = await setUp();
    await fillCard(step, '4242424242424242');
    const sent = nextEvent(
      window,
      'hs-form-event:on-submission:success',
      (event) => event.detail.instanceId === form.getInstanceId(),
    );
    window.__hubspotSandbox.pressSubmit(form.getInstanceId());
    await sent;
    await waitFor(() => /without payment/.test(step.textContent), `the payer is told: ${step.textContent}`);
    ok(/nothing was charged/i.test(step.textContent), step.textContent);
    equal(step.querySelector('button.opp-pay'), null, 'no Pay button');
    equal(step.querySelector('iframe'), null, 'no card fields');
    ok(!/pay above/i.test(step.textContent), 'never invites a payment');
    await sleep(300);
    const state = await formState(formId);
    equal(state.intents.length + state.transactions.length, 0, 'nothing charged');
  });
});
