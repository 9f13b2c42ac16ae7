// A merchant's page whose HubSpot form redirects to a thank-you page right after submitting, with
// the relay 150 ms away: the SDK's report of the submission must leave before the page does, so the
// relay never submits the form a second time (see test/hubspot/form-submission.test.ts for the
// relay's side: it also looks in HubSpot before submitting).
import { embedDriver, equal, fillCard, formState, loadPage, newForm, waitFor } from './helpers.js';

describe('SDK on HubSpot forms that redirect after submitting', () => {
  let env;
  before(async () => {
    env = await loadPage();
  });

  for (const kind of ['v2-inline', 'v4-html']) {
    it(`${kind}: the relay hears of the submission although the page left at once`, async () => {
      const driver = embedDriver(kind);
      const formId = await newForm();
      const frame = document.createElement('iframe');
      frame.style.cssText = 'width:600px;height:900px';
      const query = new URLSearchParams({
        kind,
        formId,
        tenant: env.tenantId,
        relay: env.distantRelayUrl,
        stripe: env.stripeUrl,
        redirect: '/test/browser/sdk/pages/thanks.html',
      });
      frame.src = `/test/browser/sdk/pages/merchant.html?${query}`;
      document.body.append(frame);
      try {
        const page = await waitFor(() => frame.contentDocument?.getElementById('form-target'), 'the page');
        const step = await driver.step(page);
        await waitFor(() => frame.contentDocument.body.dataset.paymentReady, 'the payment step ready');
        await driver.fill(page);
        await fillCard(step, '4242424242424242');
        driver.submitButton(page).click();
        await waitFor(
          () => frame.contentDocument?.getElementById('thanks'),
          'the thank-you page HubSpot redirects to',
          10_000,
        ).catch((error) => {
          throw new Error(`${error.message}; the page shows: ${frame.contentDocument?.body.innerText}`);
        });
        const paid = await waitFor(
          async () => (await formState(formId)).transactions.find((t) => t.formSubmittedBy === 'browser'),
          'the relay to record the submission the page reported as it left',
          5000,
        );
        equal(paid.status, 'succeeded');
        equal(paid.submittedEmail, 'ada@example.com', 'the email HubSpot received');
      } finally {
        frame.remove();
      }
    });
  }
});
