import { sendKeys } from '@web/test-runner-commands';
import { FAKES, loadScript, waitFor, nextEvent, equal, deepEqual, ok, sleep } from './helpers.js';

const PORTAL = '7654321';

function addEmbed(kind, formId) {
  const div = document.createElement('div');
  div.className = kind;
  div.setAttribute('data-region', 'na1');
  div.setAttribute('data-form-id', formId);
  div.setAttribute('data-portal-id', PORTAL);
  document.body.appendChild(div);
  return div;
}

const readyFor = (formId) => nextEvent(window, 'hs-form-event:on-ready', (e) => e.detail.formId === formId);
const successFor = (formId) =>
  nextEvent(window, 'hs-form-event:on-submission:success', (e) => e.detail.formId === formId);
const submittedFor = (formId) => window.__hubspotSandbox.submissions.filter((s) => s.formId === formId);

describe('hubspot-v4.js fake of the v4 embeds', () => {
  let earlyReady;
  before(async () => {
    addEmbed('hs-form-html', 'early-1');
    earlyReady = readyFor('early-1');
    await loadScript(`${FAKES}/hubspot-v4.js`);
  });

  it('keeps the part it shares with hubspot-v2.js identical', async () => {
    const block = (text) =>
      text.slice(text.indexOf('/* ---- shared by'), text.indexOf('/* ---- end of the shared'));
    const v2 = await (await fetch(`${FAKES}/hubspot-v2.js`)).text();
    const v4 = await (await fetch(`${FAKES}/hubspot-v4.js`)).text();
    ok(block(v2).length > 1000, 'shared block found');
    equal(block(v4), block(v2), 'shared blocks differ:');
  });

  it('renders a developer embed already on the page inline and dispatches on-ready', async () => {
    const event = await earlyReady;
    ok(event.detail.instanceId, 'detail.instanceId');
    const form = window.HubSpotFormsV4.getFormFromEvent(event);
    equal(form.getFormId(), 'early-1');
    equal(form.getInstanceId(), event.detail.instanceId);
    ok(window.HubSpotFormsV4.getForms().includes(form), 'getForms() lists it');
    const container = document.querySelector('.hs-form-html[data-form-id="early-1"]');
    ok(
      container.querySelector('form.hsfc-Form input[name="0-1/email"][type=email]'),
      'inline form with 0-1/ names',
    );
    ok(container.querySelector('input[name="0-1/onepagepay_transaction_id"][type=hidden]'), 'hidden field');
    deepEqual(await form.getFormFieldValues(), [
      { name: '0-1/email', value: '' },
      { name: '0-1/firstname', value: '' },
      { name: '0-1/lastname', value: '' },
      { name: '0-1/onepagepay_transaction_id', value: '' },
      { name: '0-1/onepagepay_payment_status', value: '' },
    ]);
    equal(window.HubSpotFormsV4.getFormFromEvent(new CustomEvent('x', { detail: {} })), undefined);
  });

  it('treats inputs as React-controlled: script values count only after an input event', async () => {
    const ready = readyFor('react-1');
    const container = addEmbed('hs-form-html', 'react-1');
    const form = window.HubSpotFormsV4.getFormFromEvent(await ready);
    const email = container.querySelector('input[name="0-1/email"]');
    email.value = 'silent@example.com';
    equal((await form.getFormFieldValues())[0].value, '', 'no event, no value:');
    container.querySelector('button[type=submit]').click();
    await sleep(20);
    equal(email.value, '', 'React re-render restores its state:');
    ok(container.querySelector('.hsfc-ErrorAlert'), 'required error shown');
    equal(submittedFor('react-1').length, 0);

    email.value = 'ada@example.com';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    form.setFieldValue('0-1/onepagepay_transaction_id', 'txn_9');
    deepEqual((await form.getFormFieldValues()).slice(0, 1), [
      { name: '0-1/email', value: 'ada@example.com' },
    ]);
    const success = successFor('react-1');
    container.querySelector('form').requestSubmit();
    const event = await success;
    equal(event.detail.instanceId, form.getInstanceId());
    ok(form.getConversionId(), 'conversion id after success');
    deepEqual(submittedFor('react-1')[0].fields, [
      { name: 'email', value: 'ada@example.com' },
      { name: 'onepagepay_transaction_id', value: 'txn_9' },
    ]);
    ok(container.querySelector('.hsfc-PostSubmit'), 'thank-you shown');
  });

  it('honours a capture-phase listener that prevents the submit', async () => {
    const ready = readyFor('capture-4');
    const container = addEmbed('hs-form-html', 'capture-4');
    const form = window.HubSpotFormsV4.getFormFromEvent(await ready);
    form.setFieldValue('0-1/email', 'cap@example.com');
    const element = container.querySelector('form');
    let hold = true;
    element.addEventListener('submit', (e) => hold && e.preventDefault(), true);
    element.requestSubmit();
    await sleep(30);
    equal(submittedFor('capture-4').length, 0);
    hold = false;
    const success = successFor('capture-4');
    element.requestSubmit();
    await success;
    equal(submittedFor('capture-4').length, 1);
  });

  it('dispatches on-submission:failed when the submission fails', async () => {
    window.__hubspotSandbox.defineForm('fail-1', {
      fields: [{ name: 'email', type: 'email', required: true }],
      failSubmission: true,
    });
    const ready = readyFor('fail-1');
    const container = addEmbed('hs-form-html', 'fail-1');
    const form = window.HubSpotFormsV4.getFormFromEvent(await ready);
    form.setFieldValue('0-1/email', 'x@example.com');
    const failed = nextEvent(
      window,
      'hs-form-event:on-submission:failed',
      (e) => e.detail.formId === 'fail-1',
    );
    container.querySelector('form').requestSubmit();
    equal((await failed).detail.instanceId, form.getInstanceId());
    ok(container.querySelector('.hsfc-Form__Failure'), 'failure message');
  });

  it('dispatches on-submission:failed when the HubSpot sandbox refuses the form', async function () {
    const config = await (await fetch('/__fakes/config.json')).json();
    if (!config.hubspot) this.skip();
    window.__hubspotSandbox.submitUrl = config.hubspot.url;
    try {
      const ready = readyFor('not-in-hubspot');
      const container = addEmbed('hs-form-html', 'not-in-hubspot');
      const form = window.HubSpotFormsV4.getFormFromEvent(await ready);
      form.setFieldValue('0-1/email', 'x@example.com');
      const failed = nextEvent(
        window,
        'hs-form-event:on-submission:failed',
        (e) => e.detail.formId === 'not-in-hubspot',
      );
      container.querySelector('form').requestSubmit();
      await failed;
      equal(submittedFor('not-in-hubspot').length, 0);
      equal(form.getConversionId(), undefined);
    } finally {
      window.__hubspotSandbox.submitUrl = null;
    }
  });

  it('renders a div added after load (MutationObserver)', async () => {
    await sleep(20);
    const ready = readyFor('late-1');
    const wrapper = document.createElement('section');
    wrapper.innerHTML = `<div class="hs-form-html" data-form-id="late-1" data-portal-id="${PORTAL}"></div>`;
    document.body.appendChild(wrapper);
    const event = await ready;
    equal(window.HubSpotFormsV4.getFormFromEvent(event).getFormId(), 'late-1');
    ok(wrapper.querySelector('form.hsfc-Form'), 'rendered');
  });

  it('renders the frame embed in an iframe the parent cannot reach, driven through the API', async () => {
    const ready = readyFor('frame-1');
    const container = addEmbed('hs-form-frame', 'frame-1');
    const form = window.HubSpotFormsV4.getFormFromEvent(await ready);
    const iframe = container.querySelector('iframe');
    equal(iframe.getAttribute('sandbox'), 'allow-scripts allow-forms');
    equal(iframe.contentDocument, null, 'contentDocument:');
    let threw = false;
    try {
      iframe.contentWindow.document.querySelector('form');
    } catch {
      threw = true;
    }
    ok(threw, 'reaching into the frame throws');
    equal(container.querySelector('form'), null, 'no form in the host document');

    form.setFieldValue('0-1/onepagepay_transaction_id', 'txn_frame');
    form.setFieldValue('0-1/email', 'frame@example.com');
    const values = await form.getFormFieldValues();
    deepEqual(
      values.find((v) => v.name === '0-1/onepagepay_transaction_id'),
      {
        name: '0-1/onepagepay_transaction_id',
        value: 'txn_frame',
      },
    );

    // Submit for real, with the keyboard: Tab from a button before the frame into its first input,
    // then Enter (implicit submission). The host page cannot reach the frame's form any other way.
    await waitFor(() => iframe.style.height !== '300px', 'the frame to report its height');
    ok(iframe.getBoundingClientRect().height > 100, 'frame sized to its form');
    const button = document.createElement('button');
    button.textContent = 'before the frame';
    container.before(button);
    button.focus();
    const success = successFor('frame-1');
    await sendKeys({ press: 'Tab' });
    await waitFor(() => document.activeElement === iframe, 'focus inside the frame');
    await sendKeys({ press: 'Enter' });
    await success;
    await waitFor(() => submittedFor('frame-1').length === 1, 'recorded submission');
    deepEqual(submittedFor('frame-1')[0].fields, [
      { name: 'email', value: 'frame@example.com' },
      { name: 'onepagepay_transaction_id', value: 'txn_frame' },
    ]);
    equal(submittedFor('frame-1')[0].embed, 'v4-frame');
  });
});
