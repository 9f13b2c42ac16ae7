// Subresource Integrity for the CDN script's PayPal part: a page loads the core pinned with
// `integrity`, and the core fetches a PayPal part that changed after the build (the test server's
// /__cdn-tampered/ serves the real core beside a PayPal part with one line added). The browser must
// refuse it: no PayPal button, the payer told payment is unavailable, the form not sent, nothing
// charged, and the tampered code never runs.
import {
  embedDriver,
  env,
  equal,
  formState,
  loadScript,
  makeTarget,
  newForm,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';

describe('the CDN script tag pinned with SRI, beside a tampered PayPal part', () => {
  it('refuses the PayPal part: no button, a clear message, nothing sent or charged', async () => {
    const e = await env();
    await loadScript('/packages/sandbox/browser/stripe.js', { 'data-api-base': e.stripeUrl });
    await loadScript('/packages/sandbox/browser/hubspot-v2.js');
    const driver = embedDriver('v2-inline');
    const formId = await newForm('providers=paypal');
    const target = makeTarget();
    driver.render(formId, target);
    // The SDK reports the failed load on the console for the developer.
    const original = console.error;
    let reported = false;
    console.error = (...args) => {
      original(...args);
      if (args.some((arg) => arg?.code === 'provider_load_failed')) reported = true;
    };
    await loadScript(e.tamperedCdnPath, {
      'data-tenant': e.tenantId,
      'data-relay': e.relayUrl,
      integrity: e.cdnIntegrity,
      crossorigin: 'anonymous',
    });
    const step = await driver.step(target);
    try {
      await waitFor(
        () => /Online payment is unavailable right now/.test(step.textContent),
        'the payer to be told payment is unavailable',
        8000,
      );
    } finally {
      console.error = original;
    }
    ok(reported, 'provider_load_failed is reported on the console');
    ok(/cannot be sent/.test(step.textContent), `and that the form cannot be sent: ${step.textContent}`);
    equal(window.__onepagepayTampered, undefined, 'the tampered code never ran');
    equal(step.querySelector('.paypal-buttons'), null, 'no PayPal button');
    equal(document.querySelector('script[src*="/sdk/js?"]'), null, "PayPal's JS SDK is never loaded");
    equal(
      document.querySelector('script[src*="onepagepay-paypal-"]'),
      null,
      'the refused tag is removed (a later form retries)',
    );

    await driver.fill(target);
    driver.submitButton(target).click();
    await sleep(300);
    equal(submissionsFor(formId).length, 0, 'the form is not sent unpaid');
    const state = await formState(formId);
    equal(state.orders.length, 0, 'no PayPal order');
    equal(state.transactions.length, 0, 'no transaction');
  });
});
