// Everyday HubSpot form settings a payer meets, once per embed mode where the SDK owns the submit:
// HubSpot's own email rule and blocked domains (nothing charged for a form HubSpot refuses), an
// empty card (each error once), and the amount in the page's language with a receipt after paying.
import {
  equal,
  fillCard,
  formState,
  nextEvent,
  ok,
  PAYER,
  sleep,
  submissionsFor,
  waitFor,
} from './helpers.js';
import { shownTimes, useJourney } from './journey.js';

export function defineEdges(kind) {
  const { driver, setUp, expectPaid } = useJourney(kind);

  async function expectNothingCharged(formId) {
    await sleep(400);
    const state = await formState(formId);
    equal(state.intents.length, 0, 'no PaymentIntent');
    equal(state.transactions.length, 0, 'no transaction');
    equal(submissionsFor(formId).length, 0, 'no submission');
  }

  it(`${kind}: an email HubSpot's rule refuses is never charged, and HubSpot says why`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target, { ...PAYER, email: 'ada@example.c' });
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await waitFor(() => driver.hostErrorText(target).includes(driver.emailMessage), "HubSpot's message");
    await expectNothingCharged(formId);
    equal(shownTimes(step, driver.emailMessage), 0, 'the SDK does not repeat it');
    await driver.fill(target);
    driver.submitButton(target).click();
    await expectPaid(formId);
  });

  it(`${kind}: HubSpot's own validation is asked first: a blocked email domain is never charged`, async () => {
    const { formId, target, step } = await setUp({ definition: { blockedEmailDomains: ['gmail.com'] } });
    await driver.fill(target, { ...PAYER, email: 'ada@gmail.com' });
    await fillCard(step, '4242424242424242');
    driver.submitButton(target).click();
    await waitFor(
      () => /business email/.test(driver.hostErrorText(target)),
      "HubSpot's blocked-domain message",
    );
    await expectNothingCharged(formId);
  });

  it(`${kind}: an empty card shows each of Stripe's errors once`, async () => {
    const { formId, target, step } = await setUp();
    await driver.fill(target);
    const failed = nextEvent(document, 'onepagepay:payment-failed');
    driver.submitButton(target).click();
    await failed;
    await waitFor(() => shownTimes(step, 'Your card number is incomplete.') > 0, "Stripe's error");
    for (const error of ['Your card number is incomplete.', "Your card's expiration date is incomplete."]) {
      equal(shownTimes(step, error), 1, `"${error}" shown once`);
    }
    await expectNothingCharged(formId);
  });

  it(`${kind}: shows the amount in the page's language, and after paying the amount and a receipt`, async () => {
    const pageLang = document.documentElement.lang;
    document.documentElement.lang = 'de-DE';
    try {
      const euros = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(49);
      const { formId, target, step } = await setUp({ query: 'currency=EUR' });
      ok(step.textContent.includes(`Workshop ticket: ${euros}`), `the amount: ${step.textContent}`);
      const yen = await setUp({ query: 'currency=JPY&amount=4900' });
      const wanted = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'JPY' }).format(4900);
      ok(yen.step.textContent.includes(wanted), `a zero-decimal currency: ${yen.step.textContent}`);
      await driver.fill(target);
      await fillCard(step, '4242424242424242');
      driver.submitButton(target).click();
      const fields = await expectPaid(formId);
      const reference = fields.onepagepay_transaction_id.slice(0, 8).toUpperCase();
      const receipt = `Paid ${euros}. Receipt ${reference}.`;
      // HubSpot replaced the form with its thank-you; the receipt is still on the page.
      await waitFor(
        () => step.isConnected && step.innerText.includes(receipt),
        `the receipt: ${step.innerText}`,
      );
      equal(step.querySelector('iframe'), null, 'no card fields after paying');
    } finally {
      document.documentElement.lang = pageLang;
    }
  });
}
