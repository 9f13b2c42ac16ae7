import { FAKES, loadScript, waitFor, equal, deepEqual, ok, makeTarget, sleep } from './helpers.js';

const PORTAL = '1234567';

function createForm(formId, target, extra = {}) {
  return new Promise((resolve) => {
    window.hbspt.forms.create({
      portalId: PORTAL,
      formId,
      target,
      ...extra,
      onFormReady: (form) => {
        extra.onFormReady?.(form);
        resolve(form);
      },
    });
  });
}

function submittedFor(formId) {
  return window.__hubspotSandbox.submissions.filter((s) => s.formId === formId);
}

const messages = [];
window.addEventListener('message', (event) => {
  if (event.data?.type === 'hsFormCallback') messages.push(event.data);
});

describe('hubspot-v2.js fake of the legacy embed', () => {
  before(async () => {
    await loadScript(`${FAKES}/hubspot-v2.js`);
  });

  it('renders a raw-HTML form inline with HubSpot markup and passes the HTMLFormElement', async () => {
    window.__hubspotSandbox.defineForm('raw-1', {
      rawHtml: true,
      fields: [
        { name: 'email', label: 'Email', type: 'email', required: true },
        { name: 'firstname', label: 'First name' },
        { name: 'onepagepay_transaction_id', type: 'hidden' },
      ],
    });
    const target = makeTarget('raw-target');
    const form = await createForm('raw-1', '#raw-target');
    ok(form instanceof HTMLFormElement, 'onFormReady gets the form element');
    equal(form.ownerDocument, document, 'rendered inline:');
    ok(target.querySelector('.hbspt-form > form#hsForm_raw-1'), 'form inside .hbspt-form');
    ok(
      form.classList.contains('hs-form') &&
        form.classList.contains('hs-form-raw-1') &&
        form.classList.contains('stacked'),
    );
    equal(form.dataset.formId, 'raw-1');
    equal(form.dataset.portalId, PORTAL);
    ok(form.querySelector('.hs_email.hs-form-field input[name=email][type=email]'));
    ok(form.querySelector('input[name=onepagepay_transaction_id][type=hidden]'));
    ok(form.querySelector('input[type=submit].hs-button.primary'));
    ok(/[0-9a-f]{32}/.test(document.cookie), 'hubspotutk cookie is set');
  });

  it('renders a non-raw form inside a same-origin iframe', async () => {
    const target = makeTarget('iframe-target');
    const form = await createForm('iframe-1', '#iframe-target');
    const iframe = target.querySelector('iframe.hs-form-iframe');
    ok(iframe, 'iframe.hs-form-iframe exists');
    equal(form.ownerDocument, iframe.contentDocument, 'form lives in the iframe document:');
    equal(document.querySelector('#iframe-target form'), null, 'no form in the host document');
    ok(form.querySelector('input[name=onepagepay_payment_status][type=hidden]'), 'default definition');
    ok(iframe.offsetHeight > 50, 'iframe is sized to its content');
  });

  it('blocks submit on empty required fields and shows .hs-error-msgs', async () => {
    makeTarget('validate-target');
    window.__hubspotSandbox.defineForm('validate-1', { rawHtml: true });
    let submitted = 0;
    const form = await createForm('validate-1', '#validate-target', { onFormSubmit: () => submitted++ });
    form.querySelector('input[type=submit]').click();
    await sleep(20);
    ok(form.querySelector('.hs_email .hs-error-msgs'), 'error under email');
    equal(form.querySelector('.hs_email .hs-error-msg').textContent, 'Please complete this required field.');
    ok(form.querySelector('.hs_error_rollup'), 'rollup shown');
    equal(submitted, 0);
    equal(submittedFor('validate-1').length, 0);
    form.querySelector('input[name=email]').value = 'not-an-email';
    form.querySelector('input[type=submit]').click();
    await sleep(20);
    equal(form.querySelector('.hs_email .hs-error-msg').textContent, 'Email must be formatted correctly.');
  });

  it('submits only defined fields with values, runs callbacks in order and posts hsFormCallback', async () => {
    makeTarget('submit-target');
    window.__hubspotSandbox.defineForm('submit-1', { rawHtml: true });
    const calls = [];
    let submittedData;
    const form = await createForm('submit-1', '#submit-target', {
      onBeforeFormSubmit: (f, values) => calls.push(['onBeforeFormSubmit', f === form, values]),
      onFormSubmit: (f) => calls.push(['onFormSubmit', f === form]),
      onFormSubmitted: (f, data) => {
        calls.push(['onFormSubmitted', f === form]);
        submittedData = data;
      },
    });
    const extra = document.createElement('input');
    extra.name = 'card_number';
    extra.value = '4242424242424242';
    form.appendChild(extra);
    form.querySelector('input[name=email]').value = 'ada@example.com';
    form.querySelector('input[name=onepagepay_transaction_id]').value = 'txn_1';
    form.requestSubmit();
    await waitFor(() => submittedData, 'onFormSubmitted');
    deepEqual(
      calls.map((c) => c[0]),
      ['onBeforeFormSubmit', 'onFormSubmit', 'onFormSubmitted'],
    );
    ok(
      calls.every((c) => c[1] === true),
      'callbacks get the form element',
    );
    const expected = [
      { name: 'email', value: 'ada@example.com' },
      { name: 'onepagepay_transaction_id', value: 'txn_1' },
    ];
    deepEqual(calls[0][2], expected, 'onBeforeFormSubmit values');
    deepEqual(submittedFor('submit-1')[0].fields, expected, 'recorded fields');
    deepEqual(submittedData, {
      redirectUrl: '',
      submissionValues: { email: 'ada@example.com', onepagepay_transaction_id: 'txn_1' },
    });
    ok(document.querySelector('#submit-target .submitted-message'), 'thank-you message shown');
    await waitFor(
      () => messages.some((m) => m.id === 'submit-1' && m.eventName === 'onFormSubmitted'),
      'message',
    );
    deepEqual(
      messages.filter((m) => m.id === 'submit-1').map((m) => m.eventName),
      ['onBeforeFormInit', 'onFormReady', 'onBeforeFormSubmit', 'onFormSubmit', 'onFormSubmitted'],
    );
    const submitMessage = messages.find((m) => m.id === 'submit-1' && m.eventName === 'onFormSubmit');
    deepEqual(submitMessage.data, expected, 'onFormSubmit message data');
  });

  it('passes a jQuery-like $form to older embeds', async () => {
    makeTarget('jq-target');
    window.__hubspotSandbox.defineForm('jq-1', { legacyJquery: true });
    const $form = await createForm('jq-1', '#jq-target');
    ok(!($form instanceof HTMLFormElement), 'not the element itself');
    equal($form.length, 1);
    ok($form[0] instanceof $form[0].ownerDocument.defaultView.HTMLFormElement, '$form[0] is the form');
    $form.find('input[name="email"]').val('jq@example.com').change();
    equal($form[0].querySelector('input[name=email]').value, 'jq@example.com');
  });

  it('leaves a submit alone that a capture listener prevented, and submits once on requestSubmit', async () => {
    makeTarget('capture-target');
    window.__hubspotSandbox.defineForm('capture-1', { rawHtml: true });
    const form = await createForm('capture-1', '#capture-target');
    form.querySelector('input[name=email]').value = 'cap@example.com';
    let hold = true;
    form.addEventListener(
      'submit',
      (event) => {
        if (!hold) return;
        event.preventDefault();
        event.stopPropagation();
      },
      true,
    );
    form.querySelector('input[type=submit]').click();
    await sleep(30);
    equal(submittedFor('capture-1').length, 0, 'prevented submit is not sent:');
    ok(document.querySelector('#capture-target form'), 'form still shown');
    hold = false;
    form.requestSubmit();
    await waitFor(() => submittedFor('capture-1').length === 1, 'submission');
    await sleep(30);
    equal(submittedFor('capture-1').length, 1, 'exactly one submission:');
  });

  it('does not submit when only preventDefault was called before it (no stopPropagation)', async () => {
    makeTarget('pd-target');
    window.__hubspotSandbox.defineForm('pd-1', { rawHtml: true });
    const form = await createForm('pd-1', '#pd-target');
    form.querySelector('input[name=email]').value = 'pd@example.com';
    form.addEventListener('submit', (event) => event.preventDefault(), true);
    form.requestSubmit();
    await sleep(30);
    equal(submittedFor('pd-1').length, 0);
  });

  it('posts the submission to the HubSpot sandbox when submitUrl is set', async function () {
    const config = await (await fetch('/__fakes/config.json')).json();
    if (!config.hubspot) this.skip();
    const { url, portalId, formGuid } = config.hubspot;
    window.__hubspotSandbox.submitUrl = url;
    try {
      makeTarget('http-target');
      window.__hubspotSandbox.defineForm(formGuid, { rawHtml: true });
      let done;
      const form = await new Promise((resolve) =>
        window.hbspt.forms.create({
          portalId,
          formId: formGuid,
          target: '#http-target',
          onFormReady: resolve,
          onFormSubmitted: () => (done = true),
        }),
      );
      form.querySelector('input[name=email]').value = 'http@example.com';
      form.querySelector('input[name=onepagepay_transaction_id]').value = 'txn_http';
      form.requestSubmit();
      await waitFor(() => done, 'onFormSubmitted');
      equal(
        document.querySelector('#http-target .submitted-message').textContent,
        'Thanks from the sandbox.',
      );
      const stored = await (await fetch('/__fakes/hubspot-submissions.json')).json();
      const mine = stored.find((s) => s.fields.some((f) => f.value === 'txn_http'));
      ok(mine, 'the HubSpot sandbox got the submission');
      deepEqual(
        mine.fields.map((f) => [f.name, f.value]),
        [
          ['email', 'http@example.com'],
          ['onepagepay_transaction_id', 'txn_http'],
        ],
      );
      equal(mine.context.hutk, window.__hubspotSandbox.hutk);
      ok(document.cookie.includes(`hubspotutk=${mine.context.hutk}`), 'hutk comes from the cookie');
    } finally {
      window.__hubspotSandbox.submitUrl = null;
    }
  });
});
