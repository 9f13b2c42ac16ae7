// The sandbox's fake PayPal JS SDK, loaded the way the SDK loads PayPal (@paypal/paypal-js's
// loadScript with the sandbox as sdkBaseUrl), held to the real Buttons contract.
import { loadScript } from '@paypal/paypal-js';
import { equal, makeTarget, ok, waitFor } from './helpers.js';

let config;
let paypal;

const createOrder = async () => (await (await fetch('/__fakes/paypal/create-order')).json()).id;
const orderStatus = async (id) => (await (await fetch(`/__fakes/paypal/order?id=${id}`)).json()).status;
const payerWindow = () =>
  waitFor(() => document.querySelector('.paypal-checkout-sandbox'), "PayPal's window");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renders buttons with recording callbacks; `options` overrides them. */
async function renderButtons(options = {}) {
  const calls = { createOrder: 0, approved: [], cancelled: [], errors: [] };
  const target = makeTarget();
  const buttons = paypal.Buttons({
    createOrder: () => {
      calls.createOrder += 1;
      return createOrder();
    },
    onApprove: (data) => calls.approved.push(data),
    onCancel: (data) => calls.cancelled.push(data),
    onError: (error) => calls.errors.push(error.message),
    ...options,
  });
  await buttons.render(target);
  return { calls, buttons, button: target.querySelector('.paypal-buttons button') };
}

describe('fake PayPal JS SDK (paypal.Buttons)', function () {
  before(async function () {
    config = await (await fetch('/__fakes/config.json')).json();
    if (!config.paypal) this.skip();
    paypal = await loadScript({
      clientId: config.paypal.clientId,
      currency: 'USD',
      intent: 'capture',
      sdkBaseUrl: `${config.paypal.url}/sdk/js`,
    });
  });

  afterEach(() => {
    for (const dialog of document.querySelectorAll('.paypal-checkout-sandbox')) dialog.remove();
  });

  it('loads through @paypal/paypal-js and is eligible for PayPal', () => {
    ok(paypal && typeof paypal.Buttons === 'function', 'window.paypal.Buttons');
    equal(paypal.FUNDING.PAYPAL, 'paypal');
    ok(paypal.Buttons({ createOrder }).isEligible(), 'eligible');
    ok(!paypal.Buttons({ createOrder, fundingSource: 'venmo' }).isEligible(), 'venmo is not');
  });

  it('refuses an unknown client id: the script fails to load', async () => {
    let error;
    await loadScript({
      clientId: 'not-our-app',
      sdkBaseUrl: `${config.paypal.url}/sdk/js`,
      dataNamespace: 'other',
    }).catch((e) => (error = e));
    ok(error, 'loadScript rejects');
  });

  it('validates its options and the container like PayPal', async () => {
    let error;
    try {
      paypal.Buttons({ onApprove: () => undefined });
    } catch (e) {
      error = e;
    }
    equal(error?.message, 'Expected createOrder or createSubscription to be passed');
    const rendered = await paypal
      .Buttons({ createOrder })
      .render('#nowhere')
      .catch((e) => e);
    ok(/#nowhere does not exist/.test(rendered.message), rendered.message);
  });

  it('approve: createOrder, then the sandbox approves the order, then onApprove gets its id', async () => {
    const { calls, button } = await renderButtons();
    button.click();
    const dialog = await payerWindow();
    dialog.querySelector('[data-paypal-approve]').click();
    await waitFor(() => calls.approved.length, 'onApprove');
    equal(calls.createOrder, 1, 'one order');
    equal(calls.approved[0].orderID, dialog.dataset.orderId, 'orderID');
    ok(calls.approved[0].payerID, 'payerID');
    equal(await orderStatus(calls.approved[0].orderID), 'APPROVED', 'approved at the sandbox');
    ok(!document.querySelector('.paypal-checkout-sandbox'), 'the window closed');
  });

  it('cancel: onCancel with the order id, no onApprove, the order stays CREATED', async () => {
    const { calls, button } = await renderButtons();
    button.click();
    const dialog = await payerWindow();
    dialog.querySelector('[data-paypal-cancel]').click();
    await waitFor(() => calls.cancelled.length, 'onCancel');
    equal(calls.approved.length, 0);
    equal(await orderStatus(calls.cancelled[0].orderID), 'CREATED');
  });

  it('onClick returning actions.reject() opens nothing and creates no order', async () => {
    const { calls, button } = await renderButtons({ onClick: (_data, actions) => actions.reject() });
    button.click();
    await sleep(100);
    equal(calls.createOrder, 0);
    ok(!document.querySelector('.paypal-checkout-sandbox'), 'no window');
  });

  it('a createOrder that gives no order id is an onError, not a window', async () => {
    const { calls, button } = await renderButtons({ createOrder: () => undefined });
    button.click();
    await waitFor(() => calls.errors.length, 'onError');
    equal(calls.errors[0], 'Expected an order id to be passed');
    ok(!document.querySelector('.paypal-checkout-sandbox'), 'no window');
  });

  it('one window at a time: clicks while it is open create no second order', async () => {
    const { calls, button } = await renderButtons();
    button.click();
    button.click();
    await payerWindow();
    button.click();
    await sleep(50);
    equal(calls.createOrder, 1);
    equal(document.querySelectorAll('.paypal-checkout-sandbox').length, 1);
  });
});
