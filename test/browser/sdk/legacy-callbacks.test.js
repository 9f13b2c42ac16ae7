// A web developer's own hbspt.forms.create call hands the form to the npm entry's attachForm from
// onFormReady (a jQuery object on older embeds, an HTMLFormElement on newer ones), and reports the
// submission from onFormSubmitted.
import { attachForm } from '../../../packages/sdk/src/index.ts';
import {
  embedDriver,
  equal,
  fillCard,
  formState,
  loadPage,
  makeTarget,
  newForm,
  submissionsFor,
  waitFor,
} from './helpers.js';

describe('attachForm from legacy v2 callbacks', () => {
  let env;
  const handles = [];
  before(async () => {
    env = await loadPage();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.destroy();
  });

  const cases = [
    { name: 'a jQuery $form from a raw-HTML embed', kind: 'v2-inline', definition: { legacyJquery: true } },
    { name: 'an HTMLFormElement inside the iframe embed', kind: 'v2-iframe', definition: {} },
  ];
  for (const { name, kind, definition } of cases) {
    it(`pays and reports the submission with ${name}`, async () => {
      const driver = embedDriver(kind);
      const formId = await newForm();
      const target = makeTarget();
      window.__hubspotSandbox.defineForm(formId, { rawHtml: kind === 'v2-inline', ...definition });
      let handle;
      let readyArg;
      const submitted = [];
      window.hbspt.forms.create({
        portalId: '4242',
        formId,
        target: `#${target.id}`,
        onFormReady($form) {
          readyArg = $form;
          handle = attachForm({ tenantId: env.tenantId, relayUrl: env.relayUrl, form: $form });
          handles.push(handle);
        },
        onFormSubmitted() {
          submitted.push(formId);
          handle.submitted();
        },
      });
      await waitFor(() => handle, 'onFormReady');
      equal(Boolean(readyArg.jquery), Boolean(definition.legacyJquery), 'the callback argument');
      await handle.ready;
      const step = await driver.step(target);
      await driver.fill(target);
      await fillCard(step, '4242424242424242');
      driver.submitButton(target).click();
      await waitFor(() => submissionsFor(formId).length === 1, 'the paid submission', 8000);
      equal(submitted.length, 1, 'onFormSubmitted once');
      const state = await formState(formId);
      equal(state.intents.length, 1, 'one charge');
      await waitFor(
        async () => (await formState(formId)).transactions[0]?.formSubmittedBy === 'browser',
        'the relay to record the submission reported through the handle',
      );
    });
  }

  it('refuses something that is not a form', () => {
    let error;
    try {
      attachForm({
        tenantId: env.tenantId,
        relayUrl: env.relayUrl,
        form: { jquery: '1.7', 0: document.body },
      });
    } catch (caught) {
      error = caught;
    }
    equal(error?.code, 'validation_error');
  });
});
