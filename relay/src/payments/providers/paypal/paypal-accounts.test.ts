import assert from 'node:assert/strict';
import { CheckoutPaymentIntent } from '@paypal/paypal-server-sdk';
import { startPayPalSandbox, type PayPalSandbox } from '@onepagepay/sandbox';
import { loadConfig } from '../../../config.js';
import { paypalEnvFor } from '../../../testing/paypal-fixtures.js';
import { createPayPalAccounts } from './paypal-accounts.js';

describe('PayPal accounts: the real server SDK against the PayPal sandbox', function () {
  this.timeout(30_000);
  let sandbox: PayPalSandbox;
  before(async () => {
    sandbox = await startPayPalSandbox({ tokenTtlSeconds: 3600 });
  });
  after(() => sandbox.close());

  const order = {
    body: {
      intent: CheckoutPaymentIntent.Capture,
      purchaseUnits: [{ amount: { currencyCode: 'EUR', value: '12.50' } }],
    },
  };

  it('caches the access token until shortly before it expires, then fetches one', async () => {
    // Tokens of this sandbox live 62 s; the relay renews 60 s early, so each is used for about 2 s.
    const shortLived = await startPayPalSandbox({ tokenTtlSeconds: 62 });
    try {
      const account = createPayPalAccounts(loadConfig(paypalEnvFor(shortLived)).paypal).accountFor(false);
      const tokenCalls = () =>
        shortLived.requestLog().filter((entry) => entry.path === '/v1/oauth2/token').length;
      for (let i = 0; i < 3; i += 1) await account.orders.createOrder(order);
      assert.equal(tokenCalls(), 1, 'one token for three calls');
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      await account.orders.createOrder(order);
      await account.orders.createOrder(order);
      assert.equal(tokenCalls(), 2, 'renewed once it was about to expire');
      assert.equal(account.tokensFetched(), 2);
    } finally {
      await shortLived.close();
    }
  });

  it('refuses a mode that is not configured, and surfaces wrong credentials', async () => {
    const config = loadConfig({ ...paypalEnvFor(sandbox), PAYPAL_TEST_CLIENT_SECRET: 'wrong' }).paypal;
    const accounts = createPayPalAccounts(config);
    assert.throws(() => accounts.accountFor(true), { code: 'provider_unavailable' });
    await assert.rejects(accounts.accountFor(false).orders.createOrder(order), { statusCode: 401 });
  });
});
