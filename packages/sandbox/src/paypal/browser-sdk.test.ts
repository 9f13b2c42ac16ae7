import assert from 'node:assert/strict';
import { startPayPalSandbox } from './sandbox.js';
import type { PayPalSandbox } from './types.js';

describe('PayPal sandbox: the fake JS SDK at /sdk/js', () => {
  let sandbox: PayPalSandbox;
  before(async () => {
    sandbox = await startPayPalSandbox();
  });
  after(() => sandbox.close());

  it("serves the fake for the sandbox app's client id, as PayPal serves its SDK", async () => {
    const query = `client-id=${sandbox.credentials.clientId}&currency=USD&intent=capture&components=buttons`;
    const response = await fetch(`${sandbox.url}/sdk/js?${query}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.match(await response.text(), /^\/\* OnePagePay sandbox: a fake of PayPal's JavaScript SDK/);
  });

  it('answers 400 with a script that throws for a missing or unknown client id or a bad currency', async () => {
    for (const query of [
      '',
      'client-id=someone-else',
      `client-id=${sandbox.credentials.clientId}&currency=usd!`,
    ]) {
      const response = await fetch(`${sandbox.url}/sdk/js?${query}`);
      assert.equal(response.status, 400, query);
      assert.match(await response.text(), /^throw new Error\("SDK Validation error: '/, query);
    }
  });
});
