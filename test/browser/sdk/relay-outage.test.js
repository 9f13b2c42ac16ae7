// When the relay cannot be reached, the SDK cannot know which forms take a payment. It holds only
// forms that plausibly do (the hidden onepagepay_transaction_id property, or named in attach) and
// lets every other form on the page submit as usual.
import { embedDriver, equal, loadPage, makeTarget, ok, sleep, submissionsFor, waitFor } from './helpers.js';

// Nothing listens on port 1: fetch fails at once, as with a relay that is down.
const UNREACHABLE = 'http://127.0.0.1:1';
const PLAIN_FIELDS = [
  { name: 'email', label: 'Email', type: 'email', required: true },
  { name: 'firstname', label: 'First name' },
  { name: 'lastname', label: 'Last name' },
];

describe('SDK with an unreachable relay', () => {
  let env;
  const handles = [];
  before(async () => {
    env = await loadPage();
  });
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.destroy();
  });

  for (const kind of ['v2-inline', 'v4-html']) {
    it(`${kind}: holds the payment form with the outage message and lets a plain form submit`, async () => {
      const driver = embedDriver(kind);
      const [payment, plain] = [crypto.randomUUID(), crypto.randomUUID()];
      const [paymentTarget, plainTarget] = [makeTarget(), makeTarget()];
      driver.render(payment, paymentTarget);
      driver.render(plain, plainTarget, { fields: PLAIN_FIELDS });
      handles.push(window.OnePagePay.attachAll({ tenantId: env.tenantId, relayUrl: UNREACHABLE }));

      const step = await driver.step(paymentTarget);
      await waitFor(() => /unavailable/i.test(step.textContent), 'the outage message');
      equal(step.querySelector('iframe'), null, 'no card fields');
      await driver.fill(paymentTarget);
      driver.submitButton(paymentTarget).click();

      await driver.fill(plainTarget);
      driver.submitButton(plainTarget).click();
      await waitFor(() => submissionsFor(plain).length === 1, 'the plain form submits as usual');
      equal(plainTarget.querySelector('.opp-step'), null, 'no payment step on the plain form');
      await sleep(300);
      equal(submissionsFor(payment).length, 0, 'the payment form is never sent unpaid');
    });
  }

  it('holds a form named in attach even without the hidden properties', async () => {
    const driver = embedDriver('v2-inline');
    const formId = crypto.randomUUID();
    const target = makeTarget();
    driver.render(formId, target, { fields: PLAIN_FIELDS });
    const handle = window.OnePagePay.attach({ tenantId: env.tenantId, relayUrl: UNREACHABLE, formId });
    handles.push(handle);
    await handle.ready.then(
      () => ok(false, 'ready must reject'),
      (error) => equal(error.code, 'network_error'),
    );
    ok(/unavailable/i.test((await driver.step(target)).textContent), 'the outage message');
    await driver.fill(target);
    driver.submitButton(target).click();
    await sleep(300);
    equal(submissionsFor(formId).length, 0, 'never sent unpaid');
  });
});
