// Helpers for the SDK's browser tests: the environment from the wtr plugin, the fakes, and one
// driver per HubSpot embed mode that renders a form and acts as the payer would.
export { deepEqual, equal, ok, sleep, waitFor, loadScript, nextEvent } from '../fakes/helpers.js';
import { loadScript, waitFor } from '../fakes/helpers.js';

let environment;
export async function env() {
  environment ??= await (await fetch('/__env.json')).json();
  return environment;
}

/** Loads the fake Stripe.js and HubSpot embeds, then the CDN bundle (no data-* so nothing auto-attaches). */
export async function loadPage() {
  const e = await env();
  if (!window.Stripe)
    await loadScript('/packages/sandbox/browser/stripe.js', { 'data-api-base': e.stripeUrl });
  if (!window.hbspt) await loadScript('/packages/sandbox/browser/hubspot-v2.js');
  if (!window.HubSpotFormsV4) await loadScript('/packages/sandbox/browser/hubspot-v4.js');
  if (!window.OnePagePay) await loadScript(e.cdnPath);
  return e;
}

export async function newForm(query = '') {
  return (await (await fetch(`/__control/new-form?${query}`)).json()).formId;
}

/** PaymentIntents (Stripe sandbox) and transaction rows (relay DB) made for a form. */
export async function formState(formId, stack = 'main') {
  return (await fetch(`/__control/form?id=${formId}&stack=${stack}`)).json();
}

export function submissionsFor(formId) {
  return window.__hubspotSandbox.submissions.filter((s) => s.formId === formId);
}

export function fieldsOf(submission) {
  return Object.fromEntries(submission.fields.map((f) => [f.name, f.value]));
}

let targets = 0;
export function makeTarget() {
  const div = document.createElement('div');
  div.id = `target-${(targets += 1)}`;
  document.body.appendChild(div);
  return div;
}

function type(input, value) {
  input.value = value;
  input.dispatchEvent(new input.ownerDocument.defaultView.Event('input', { bubbles: true }));
  input.dispatchEvent(new input.ownerDocument.defaultView.Event('change', { bubbles: true }));
}

/** Types a card into the Stripe fake's Payment Element inside `step`, as a payer would. */
export async function fillCard(step, number, expiry = '12/34') {
  const iframe = await waitFor(() => step.querySelector('iframe'), 'the Payment Element');
  const doc = await waitFor(
    () => iframe.contentDocument?.getElementById('Field-postalCodeInput') && iframe.contentDocument,
    'card inputs',
  );
  for (const [name, value] of [
    ['number', number],
    ['expiry', expiry],
    ['cvc', '123'],
    ['postalCode', '12345'],
  ]) {
    type(doc.getElementById(`Field-${name}Input`), value);
  }
}

export const PAYER = { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' };

/** Renders a HubSpot form of one embed mode into `target` and drives it. */
export function embedDriver(kind) {
  const portalId = '4242';
  const drivers = {
    'v2-inline': {
      render(formId, target, definition = {}) {
        window.__hubspotSandbox.defineForm(formId, { rawHtml: true, ...definition });
        window.hbspt.forms.create({ portalId, formId, target: `#${target.id}` });
      },
      form: (target) => target.querySelector('form'),
      input: (target, name) => target.querySelector(`form [name="${name}"]`),
      hostErrors: (target) => target.querySelectorAll('.hs-error-msgs').length,
      hostErrorText: (target) =>
        [...target.querySelectorAll('.hs-error-msgs')].map((e) => e.textContent).join(),
      hostFailure: (target) => /problem submitting/.test(target.textContent),
      emailMessage: 'Email must be formatted correctly.',
    },
    'v2-iframe': {
      render(formId, target, definition = {}) {
        window.__hubspotSandbox.defineForm(formId, { ...definition });
        window.hbspt.forms.create({ portalId, formId, target: `#${target.id}` });
      },
      form: (target) => target.querySelector('iframe.hs-form-iframe')?.contentDocument?.querySelector('form'),
      input: (target, name) =>
        target.querySelector('iframe.hs-form-iframe').contentDocument.querySelector(`form [name="${name}"]`),
      hostErrors: (target) =>
        target.querySelector('iframe.hs-form-iframe').contentDocument.querySelectorAll('.hs-error-msgs')
          .length,
      hostErrorText: (target) =>
        [...target.querySelector('iframe.hs-form-iframe').contentDocument.querySelectorAll('.hs-error-msgs')]
          .map((e) => e.textContent)
          .join(),
      emailMessage: 'Email must be formatted correctly.',
      hostFailure: (target) =>
        /problem submitting/.test(
          target.querySelector('iframe.hs-form-iframe').contentDocument.body.textContent,
        ),
    },
    'v4-html': {
      render(formId, target, definition = {}) {
        window.__hubspotSandbox.defineForm(formId, { ...definition });
        target.innerHTML = `<div class="hs-form-html" data-region="na1" data-form-id="${formId}" data-portal-id="${portalId}"></div>`;
      },
      form: (target) => target.querySelector('form'),
      input: (target, name) => target.querySelector(`form [name="0-1/${name}"]`),
      hostErrors: (target) => target.querySelectorAll('.hsfc-ErrorAlert').length,
      hostErrorText: (target) =>
        [...target.querySelectorAll('.hsfc-ErrorAlert')].map((e) => e.textContent).join(),
      emailMessage: 'Please enter a valid email address.',
      hostFailure: (target) => /problem submitting/.test(target.textContent),
    },
  };
  const driver = drivers[kind];
  return {
    ...driver,
    step: (target) =>
      waitFor(
        () => target.querySelector('.opp-step') ?? driver.form(target)?.querySelector('.opp-step'),
        'the payment step',
      ),
    async fill(target, values = PAYER) {
      await waitFor(() => driver.form(target), 'the form');
      for (const [name, value] of Object.entries(values)) type(driver.input(target, name), value);
    },
    submitButton: (target) => driver.form(target).querySelector('[type=submit]'),
  };
}
