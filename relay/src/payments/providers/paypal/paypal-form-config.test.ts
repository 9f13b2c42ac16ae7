import assert from 'node:assert/strict';
import { PAGE_ORIGIN } from '../../../testing/payment-fixtures.js';
import { useRelayWithPayPal } from '../../../testing/paypal-fixtures.js';
import { createPayPalAccounts } from './paypal-accounts.js';

describe("PayPal in a form's public config (what the browser SDK loads PayPal with)", function () {
  this.timeout(60_000);
  const h = useRelayWithPayPal();

  it('gives the client id, the payee and, against the sandbox, where its fake JS SDK is served', async () => {
    const { tenant, form } = h.seeded;
    const response = await fetch(`${h.relay.url}/v1/forms/${tenant.id}/${form.hubspotFormGuid}`, {
      headers: { Origin: PAGE_ORIGIN },
    });
    assert.equal(response.status, 200);
    const config = (await response.json()) as { providers: string[]; paypal: Record<string, unknown> };
    assert.deepEqual(config.providers, ['stripe', 'paypal']);
    assert.deepEqual(config.paypal, {
      clientId: h.paypal.credentials.clientId,
      merchantId: null,
      sdkUrl: `${h.paypal.url}/sdk/js`,
    });
    const sdk = await fetch(`${config.paypal.sdkUrl as string}?client-id=${h.paypal.credentials.clientId}`);
    assert.equal(sdk.status, 200, 'the sandbox serves its fake of the JS SDK there');
    assert.doesNotMatch(JSON.stringify(config), new RegExp(h.paypal.credentials.clientSecret), 'no secret');
  });

  it('names no SDK URL without PAYPAL_API_BASE: browsers load www.paypal.com/sdk/js', () => {
    const credentials = { clientId: 'AbC', clientSecret: 'secret', webhookId: undefined };
    const live = createPayPalAccounts({
      test: credentials,
      live: undefined,
      apiBase: undefined,
      timeoutMs: 1000,
    });
    assert.equal(live.jsSdkUrl(), undefined);
    const faked = createPayPalAccounts({
      test: credentials,
      live: undefined,
      apiBase: new URL('http://127.0.0.1:9999'),
      timeoutMs: 1000,
    });
    assert.equal(faked.jsSdkUrl(), 'http://127.0.0.1:9999/sdk/js');
  });
});
