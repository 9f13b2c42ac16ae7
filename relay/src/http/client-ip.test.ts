import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { GOOD_PASSWORD, signUpMerchant } from '../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

/**
 * Behind one proxy that appends the address it saw to X-Forwarded-For, the client IP is that last
 * entry: whatever the client wrote to the left of it moves neither its rate limit nor its audit trail.
 */
describe('client IP behind trusted proxies', function () {
  this.timeout(180_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      // TRUST_PROXY is what deployments set before TRUSTED_PROXY_HOPS existed; with it, it is redundant.
      env: { TRUST_PROXY: 'true', TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '3' },
    });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  /** What the proxy forwards: the client's own header, then the peer address the proxy saw. */
  const viaProxy = (forged: string, peer: string) => ({ 'x-forwarded-for': `${forged}, ${peer}` });

  it('keys the per-IP limit on the address the proxy saw, not on forged leftmost entries', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${relay.url}/v1/status`, {
        headers: viaProxy(`10.0.${index}.1, 192.0.2.${index}`, '203.0.113.7'),
      });
      statuses.push(response.status);
      if (response.status === 429) assert.ok(Number(response.headers.get('retry-after')) >= 1);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const otherClient = await fetch(`${relay.url}/v1/status`, {
      headers: viaProxy('203.0.113.7', '198.51.100.9'),
    });
    assert.equal(otherClient.status, 200, 'another client behind the same proxy has its own budget');
  });

  it('records the address the proxy saw in the audit trail', async () => {
    const email = `owner.${crypto.randomUUID()}@example.com`;
    const owner = await signUpMerchant(relay, email);
    const { response } = await logInMerchantVia(email, viaProxy('6.6.6.6', '203.0.113.50'));
    assert.equal(response.status, 200);
    const latest = await relay.database
      .knex('audit_events')
      .where({ tenant_id: owner.tenantId, action: 'login.succeeded' })
      .orderBy('id', 'desc')
      .first('ip');
    assert.equal(latest?.ip, '203.0.113.50');
  });

  async function logInMerchantVia(email: string, headers: Record<string, string>) {
    const answer = await fetch(`${relay.url}/v1/merchant/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: relay.url, ...headers },
      body: JSON.stringify({ email, password: GOOD_PASSWORD }),
    });
    return { response: answer };
  }
});
