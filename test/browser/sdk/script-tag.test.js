// The CDN file on its own: auto-attach from its tag's data-* attributes, its nonce on everything
// the SDK injects, and forms without a configuration left alone.
import {
  embedDriver,
  env,
  equal,
  fillCard,
  formState,
  loadScript,
  makeTarget,
  newForm,
  ok,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';

describe('the CDN script tag', () => {
  it('attaches to every configured form from data-tenant/data-relay, with its nonce', async () => {
    const e = await env();
    const ready = [];
    document.addEventListener('onepagepay:ready', (event) => ready.push(event.detail.formId));
    await loadScript('/packages/sandbox/browser/stripe.js', { 'data-api-base': e.stripeUrl });
    await loadScript('/packages/sandbox/browser/hubspot-v2.js');
    const driver = embedDriver('v2-inline');
    const paid = await newForm();
    const [target, plain] = [makeTarget(), makeTarget()];
    driver.render(paid, target);
    const unconfigured = crypto.randomUUID();
    driver.render(unconfigured, plain);
    await loadScript(e.cdnPath, {
      'data-tenant': e.tenantId,
      'data-relay': e.relayUrl,
      nonce: 'r4nd0m-n0nce',
    });
    ok(window.OnePagePay && typeof window.OnePagePay.attach === 'function', 'the OnePagePay global');

    const step = await driver.step(target);
    for (const element of [step, ...step.querySelectorAll('*')].filter(
      (el) => !el.closest('.__PrivateStripeElement'),
    )) {
      equal(
        element.nonce,
        'r4nd0m-n0nce',
        `nonce on <${element.tagName.toLowerCase()} class="${element.className}">`,
      );
    }
    await sleep(300);
    equal(plain.querySelector('.opp-step'), null, 'a form without a configuration gets no payment step');
    await driver.fill(plain);
    driver.submitButton(plain).click();
    await waitFor(() => submissionsFor(unconfigured).length === 1, 'the unconfigured form submits as usual');

    await waitFor(() => ready.includes(paid), 'the payment step ready');
    equal(ready.length, 1, 'only the configured form got a payment step');
    await driver.fill(target);
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await waitFor(() => submissionsFor(paid).length === 1, 'the paid submission', 8000);
    equal((await formState(paid)).intents.length, 1, 'one charge');
  });
});
