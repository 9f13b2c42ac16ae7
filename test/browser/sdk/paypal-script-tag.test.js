// The CDN script tag on a page whose form takes the card and PayPal, with data-providers="paypal":
// only PayPal is offered, its part of the script is fetched with the tag's nonce, and PayPal's JS
// SDK gets the nonce as PayPal wants it (nonce and data-csp-nonce). The tag pins the core with
// Subresource Integrity, so the core pins its PayPal part with the hash the build put into it
// (paypal-sri.test.js: a PayPal part that does not match is refused).
import {
  embedDriver,
  env,
  equal,
  formState,
  loadScript,
  makeTarget,
  newForm,
  ok,
  submissionsFor,
  waitFor,
} from './helpers.js';

describe('the CDN script tag with PayPal', () => {
  it('offers only PayPal with data-providers="paypal", with its nonce and SRI on what it injects, and pays once', async () => {
    const e = await env();
    await loadScript('/packages/sandbox/browser/stripe.js', { 'data-api-base': e.stripeUrl });
    await loadScript('/packages/sandbox/browser/hubspot-v2.js');
    const driver = embedDriver('v2-inline');
    const formId = await newForm('providers=stripe,paypal');
    const target = makeTarget();
    driver.render(formId, target);
    await loadScript(e.cdnPath, {
      'data-tenant': e.tenantId,
      'data-relay': e.relayUrl,
      'data-providers': 'paypal',
      nonce: 'pp-n0nce',
      integrity: e.cdnIntegrity,
      crossorigin: 'anonymous',
    });
    const step = await driver.step(target);
    const button = await waitFor(
      () => step.querySelector('.paypal-buttons button'),
      'the PayPal button',
      8000,
    );
    equal(step.querySelector('iframe'), null, 'no card fields: the page offers only PayPal');

    const half = document.querySelector('script[src*="onepagepay-paypal-"]');
    ok(half, 'the PayPal part of the script was fetched');
    equal(half.nonce, 'pp-n0nce', 'with the nonce');
    equal(half.integrity, e.paypalIntegrity, "with the PayPal part's own integrity, as the core was");
    equal(half.crossOrigin, 'anonymous', 'fetched in CORS mode, as SRI needs');
    const sdk = document.querySelector('script[src*="/sdk/js?"]');
    equal(sdk?.nonce, 'pp-n0nce', "PayPal's JS SDK tag has the nonce");
    equal(sdk.getAttribute('data-csp-nonce'), 'pp-n0nce', 'and data-csp-nonce for its inline styles');
    ok(/[?&]client-id=[^&]+/.test(sdk.src) && /[?&]currency=USD/.test(sdk.src), sdk.src);
    for (const element of [step, ...step.querySelectorAll('*')].filter(
      (el) => !el.closest('.paypal-buttons'),
    )) {
      equal(
        element.nonce,
        'pp-n0nce',
        `nonce on <${element.tagName.toLowerCase()} class="${element.className}">`,
      );
    }

    await driver.fill(target);
    button.click();
    (await waitFor(() => document.querySelector('.paypal-checkout-sandbox'), "PayPal's window", 8000))
      .querySelector('[data-paypal-approve]')
      .click();
    await waitFor(() => submissionsFor(formId).length === 1, 'the paid submission', 8000);
    const state = await formState(formId);
    equal(state.intents.length, 0, 'no card charge');
    equal(state.orders.length, 1, 'one PayPal order');
    equal(state.orders[0].captures.length, 1, 'captured once');
  });
});
