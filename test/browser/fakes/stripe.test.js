import { loadStripe } from '@stripe/stripe-js/pure';
import { sendKeys } from '@web/test-runner-commands';
import { FAKES, loadScript, waitFor, equal, ok, makeTarget } from './helpers.js';

let config;

/** Server-side calls a relay would make, with the secret key. */
async function secretCall(method, path, params) {
  const response = await fetch(config.stripeApiBase + path, {
    method,
    headers: {
      Authorization: `Bearer ${config.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: params ? new URLSearchParams(params).toString() : undefined,
  });
  return response.json();
}

async function mountPaymentElement(stripe, id, elementsOptions) {
  const host = document.createElement('form');
  host.innerHTML = `<input name="email" value="ada@example.com"><div id="${id}"></div>`;
  document.body.appendChild(host);
  const elements = stripe.elements({
    mode: 'payment',
    amount: 1999,
    currency: 'usd',
    paymentMethodCreation: 'manual',
    ...elementsOptions,
  });
  const element = elements.create('payment');
  const events = [];
  element.on('change', (event) => events.push(event));
  const ready = new Promise((resolve) => element.on('ready', resolve));
  element.mount(`#${id}`);
  await ready;
  return { host, elements, element, events, iframe: host.querySelector('iframe') };
}

async function requiresActionIntent(stripe, cardNumber) {
  const intent = await secretCall('POST', '/v1/payment_intents', {
    amount: '4200',
    currency: 'usd',
    'payment_method_types[]': 'card',
  });
  const { paymentMethod } = await createCardPaymentMethod(stripe, cardNumber);
  const confirmed = await secretCall('POST', `/v1/payment_intents/${intent.id}/confirm`, {
    payment_method: paymentMethod.id,
  });
  equal(confirmed.status, 'requires_action', 'intent status');
  return intent;
}

async function createCardPaymentMethod(stripe, number) {
  const { elements } = await mountPaymentElement(stripe, `pm-${Math.random().toString(36).slice(2)}`);
  window.__stripeSandbox.fillCard(number, '12/34', '123', '94107');
  equal((await elements.submit()).error, undefined, 'submit error');
  return stripe.createPaymentMethod({ elements });
}

describe('stripe.js fake of Stripe.js v3', () => {
  before(async function () {
    config = await (await fetch('/__fakes/config.json')).json();
    await loadScript(`${FAKES}/stripe.js`, { 'data-api-base': config.stripeApiBase ?? 'http://127.0.0.1:9' });
  });

  it('installs Stripe as a plain function and refuses a missing or secret key', () => {
    equal(typeof window.Stripe, 'function');
    ok(!/^class\b/.test(Function.prototype.toString.call(window.Stripe)), 'not a class');
    let error;
    try {
      window.Stripe('sk_test_123');
    } catch (e) {
      error = e;
    }
    equal(error?.name, 'IntegrationError');
  });

  it('is what @stripe/stripe-js loadStripe picks up, without a version warning', async () => {
    const warnings = [];
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.join(' '));
    try {
      const stripe = await loadStripe('pk_test_onepagepaysandbox');
      equal(typeof stripe.elements, 'function');
      equal(window.__stripeSandbox.wrappers[0]?.name, 'stripe-js');
    } finally {
      console.warn = warn;
    }
    equal(warnings.length, 0, `warnings: ${warnings.join('; ')}`);
    equal(document.querySelectorAll('script[src^="https://js.stripe.com"]').length, 0, 'no script injected');
  });

  it('mounts real inputs inside an iframe, outside the host form, and validates like Stripe', async () => {
    const stripe = window.Stripe('pk_test_onepagepaysandbox');
    const { host, elements, element, events, iframe } = await mountPaymentElement(stripe, 'pe-1', {
      appearance: { variables: { colorPrimary: '#ff0066' } },
    });
    ok(iframe instanceof HTMLIFrameElement, 'iframe mounted');
    equal(elements.getElement('payment'), element);
    const doc = iframe.contentDocument;
    const number = doc.querySelector('input[name=number][autocomplete=cc-number]');
    ok(number && doc.querySelector('input[placeholder="MM / YY"]') && doc.querySelector('input[name=cvc]'));
    ok(iframe.offsetHeight > 80, 'visible');
    equal(doc.documentElement.style.getPropertyValue('--colorPrimary'), '#ff0066');

    const empty = await elements.submit();
    equal(empty.error?.type, 'validation_error');
    equal(empty.error?.code, 'incomplete_number');
    equal(doc.getElementById('Field-numberError').textContent, 'Your card number is incomplete.');

    number.focus();
    await sendKeys({ type: '4242424242424242' });
    equal(number.value, '4242 4242 4242 4242', 'formatted as typed');
    const last = events[events.length - 1];
    equal(last.elementType, 'payment');
    equal(last.complete, false);
    equal(last.empty, false);
    equal(last.value.type, 'card');
    equal((await elements.submit()).error?.code, 'incomplete_expiry');

    doc.querySelector('input[name=expiry]').focus();
    await sendKeys({ type: '1234' });
    doc.querySelector('input[name=cvc]').focus();
    await sendKeys({ type: '123' });
    doc.querySelector('input[name=postalCode]').focus();
    await sendKeys({ type: '94107' });
    equal(events[events.length - 1].complete, true, 'complete after a full card');
    const submitted = await elements.submit();
    equal(submitted.error, undefined);
    equal(submitted.selectedPaymentMethod, 'card');
    const posted = [...new FormData(host).entries()].map(([k, v]) => `${k}=${v}`).join('&');
    equal(posted, 'email=ada@example.com', 'only the host fields are in the host form:');
  });

  it('rejects an expired card and a bad Luhn number', async () => {
    const stripe = window.Stripe('pk_test_onepagepaysandbox');
    const { elements } = await mountPaymentElement(stripe, 'pe-2');
    window.__stripeSandbox.fillCard('4242424242424241', '12/34', '123', '94107');
    equal((await elements.submit()).error?.code, 'invalid_number');
    window.__stripeSandbox.fillCard('4242424242424242', '01/20', '123', '94107');
    equal((await elements.submit()).error?.code, 'invalid_expiry_year_past');
  });

  it('keeps its state when its iframe is moved in the DOM (which reloads it)', async () => {
    const stripe = window.Stripe('pk_test_onepagepaysandbox');
    const { host, elements, iframe } = await mountPaymentElement(stripe, 'pe-move');
    window.__stripeSandbox.fillCard('4242424242424242', '12/34', '123', '94107');
    const elsewhere = makeTarget('pe-move-elsewhere');
    elsewhere.appendChild(host.querySelector('#pe-move'));
    await waitFor(
      () => iframe.contentDocument?.getElementById('Field-numberInput')?.value === '4242 4242 4242 4242',
      'the reloaded frame to show the card',
    );
    equal((await elements.submit()).error, undefined);
    window.__stripeSandbox.fillCard('4242');
    equal((await elements.submit()).error?.code, 'incomplete_number', 'still wired after the move:');
  });

  it('mounts into a container inside a same-origin iframe, such as a HubSpot form frame', async () => {
    const stripe = window.Stripe('pk_test_onepagepaysandbox');
    const frame = document.createElement('iframe');
    document.body.appendChild(frame);
    frame.contentDocument.body.innerHTML = '<form><div id="inner"></div></form>';
    const elements = stripe.elements({ mode: 'payment', amount: 500, currency: 'eur' });
    const element = elements.create('payment');
    const ready = new Promise((resolve) => element.on('ready', resolve));
    element.mount(frame.contentDocument.getElementById('inner'));
    await ready;
    window.__stripeSandbox.fillCard('4242424242424242', '12/34', '123');
    equal((await elements.submit()).error?.code, 'incomplete_zip', 'the default country is US:');
    const inner = frame.contentDocument.querySelector('#inner iframe').contentDocument;
    const country = inner.querySelector('select[name=country]');
    country.value = 'DE';
    country.dispatchEvent(new Event('change', { bubbles: true }));
    equal((await elements.submit()).error, undefined, 'no postal code for DE:');
    equal(frame.contentDocument.querySelector('form input'), null, 'no card input in the outer form');
  });

  describe('against the Stripe sandbox', () => {
    before(function () {
      if (!config.stripeApiBase) this.skip();
    });

    it('is served by the sandbox at /js/stripe.js and then talks to that origin', async () => {
      const frame = document.createElement('iframe');
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
      frame.srcdoc = `<script src="${config.stripeApiBase}/js/stripe.js"></script>`;
      document.body.appendChild(frame);
      await loaded;
      const stripe = frame.contentWindow.Stripe(config.publishableKey);
      equal(stripe._apiBase, config.stripeApiBase);
      const { error } = await stripe.retrievePaymentIntent('pi_missing_secret_nope');
      equal(error.type, 'invalid_request_error', 'answered by the sandbox:');
    });

    it('creates a PaymentMethod and a ConfirmationToken, only after elements.submit()', async () => {
      const stripe = window.Stripe(config.publishableKey);
      const { elements } = await mountPaymentElement(stripe, 'pe-3');
      window.__stripeSandbox.fillCard('4242424242424242', '12/34', '123', '94107');
      let early;
      await stripe.createPaymentMethod({ elements }).catch((e) => (early = e));
      equal(early?.name, 'IntegrationError', 'createPaymentMethod before submit');
      await elements.submit();
      const { paymentMethod, error } = await stripe.createPaymentMethod({
        elements,
        params: { billing_details: { email: 'ada@example.com' } },
      });
      equal(error, undefined);
      ok(/^pm_/.test(paymentMethod.id), paymentMethod.id);
      equal(paymentMethod.card.last4, '4242');
      equal(paymentMethod.billing_details.email, 'ada@example.com');
      equal(paymentMethod.billing_details.address.postal_code, '94107');
      const stored = await secretCall('GET', `/v1/payment_methods/${paymentMethod.id}`);
      equal(stored.id, paymentMethod.id, 'stored in the sandbox');

      elements.update({ paymentMethodCreation: 'automatic' });
      let refused;
      await stripe.createPaymentMethod({ elements }).catch((e) => (refused = e));
      ok(/paymentMethodCreation: 'manual'/.test(refused?.message), 'needs manual creation');

      const token = await stripe.createConfirmationToken({ elements });
      equal(token.error, undefined);
      ok(/^ctoken_/.test(token.confirmationToken.id), token.confirmationToken.id);
    });

    it('shows a visible 3-D Secure challenge and resolves the completed PaymentIntent', async () => {
      const stripe = window.Stripe(config.publishableKey);
      const intent = await requiresActionIntent(stripe, '4000002500003155');
      const pending = stripe.handleNextAction({ clientSecret: intent.client_secret });
      const modal = await waitFor(
        () => document.querySelector('[data-testid="stripe-sandbox-3ds-modal"]'),
        'modal',
      );
      ok(modal.offsetHeight > 0, 'modal visible');
      ok(modal.textContent.includes('$42.00'), modal.textContent);
      modal.querySelector('[data-testid="stripe-sandbox-3ds-complete"]').click();
      const { paymentIntent, error } = await pending;
      equal(error, undefined);
      equal(paymentIntent.status, 'succeeded');
      equal(document.querySelector('[data-testid="stripe-sandbox-3ds-modal"]'), null, 'modal closed');
    });

    it('resolves an authentication failure as an error', async () => {
      const stripe = window.Stripe(config.publishableKey);
      const intent = await requiresActionIntent(stripe, '4000000000003220');
      const pending = stripe.handleNextAction({ clientSecret: intent.client_secret });
      await waitFor(() => document.querySelector('[data-testid="stripe-sandbox-3ds-fail"]'), 'modal');
      window.__stripeSandbox.completeChallenge('fail');
      const { paymentIntent, error } = await pending;
      equal(paymentIntent, undefined);
      equal(error.code, 'payment_intent_authentication_failure');
      equal(error.payment_intent.status, 'requires_payment_method');
    });

    it('confirms a payment and surfaces a decline as a card_error', async () => {
      const stripe = window.Stripe(config.publishableKey);
      const intent = await secretCall('POST', '/v1/payment_intents', {
        amount: '1000',
        currency: 'usd',
        'payment_method_types[]': 'card',
      });
      const { elements } = await mountPaymentElement(stripe, 'pe-4', {
        mode: undefined,
        clientSecret: intent.client_secret,
      });
      window.__stripeSandbox.fillCard('4000000000000002', '12/34', '123', '94107');
      await elements.submit();
      const declined = await stripe.confirmPayment({ elements, redirect: 'if_required' });
      equal(declined.error?.type, 'card_error');
      equal(declined.error?.decline_code, 'generic_decline');

      window.__stripeSandbox.fillCard('4242424242424242');
      await elements.submit();
      const paid = await stripe.confirmPayment({ elements, redirect: 'if_required' });
      equal(paid.error, undefined);
      equal(paid.paymentIntent.status, 'succeeded');
    });

    it('emits loaderror for a client secret the sandbox does not know', async () => {
      const stripe = window.Stripe(config.publishableKey);
      const elements = stripe.elements({ clientSecret: 'pi_123_secret_456' });
      const element = elements.create('payment');
      const failed = new Promise((resolve) => element.on('loaderror', resolve));
      element.mount(makeTarget('pe-5'));
      const event = await failed;
      equal(event.elementType, 'payment');
      equal(event.error.type, 'invalid_request_error');
    });
  });
});
