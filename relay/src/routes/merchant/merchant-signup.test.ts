import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';
import {
  GOOD_PASSWORD,
  sendJson,
  signUpMerchant,
  verifySignupToken,
} from '../../testing/merchant-fixtures.js';

/**
 * Signup tells nobody who has an account and cannot be used to mass-create tenants: regression
 * tests from the security review's reproductions, on PGlite or PostgreSQL (TEST_DATABASE_URL).
 */
describe('merchant signup: one answer for every address, email verification', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const email = () => `owner-${crypto.randomUUID().slice(0, 8)}@example.com`;

  it('signup answers a registered email exactly as a new one, and only a mailed token makes a tenant', async () => {
    const registered = email();
    await signUpMerchant(relay, registered);
    const fresh = email();
    const tenantsBefore = await relay.database.knex('tenants').count<Array<{ count: string }>>('* as count');
    const ask = (address: string) =>
      sendJson(relay.url, 'POST', '/v1/merchant/signup', {
        body: { email: address, password: 'another-strong-secret-77', businessName: 'Rival Ltd' },
        headers: { origin: relay.url },
      });
    const [again, first] = [await ask(registered.toUpperCase()), await ask(fresh)];
    for (const answer of [again, first]) {
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.headers.get('set-cookie'), null);
    }
    assert.deepEqual(again.body, first.body, 'the same body for both');
    const noted = relay.mailbox.to(registered).at(-1)!;
    assert.match(noted.subject, /already have/);
    assert.doesNotMatch(noted.text, /Verification token/, 'a registered address gets no token');
    const tenantsAfter = await relay.database.knex('tenants').count<Array<{ count: string }>>('* as count');
    assert.equal(tenantsAfter[0]!.count, tenantsBefore[0]!.count, 'no tenant before verification');

    const token = relay.mailbox.signupTokenFor(fresh)!;
    assert.equal((await verifySignupToken(relay.url, token)).status, 201);
    const reused = await verifySignupToken(relay.url, token);
    assert.equal(reused.status, 404);
    assert.equal(reused.body.error.code, 'not_found', 'a used token');
    const owners = await relay.database.knex('merchant_users').where({ email: fresh });
    assert.equal(owners.length, 1);
    assert.equal(await relay.database.knex('merchant_signups').where({ email: fresh }).first(), undefined);
  });
});

describe('merchant signup limit per IP', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { MERCHANT_SIGNUPS_PER_IP_PER_HOUR: '3' } });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('25 concurrent signups from one IP: 3 are accepted, the rest get 429 with Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        sendJson(relay.url, 'POST', '/v1/merchant/signup', {
          body: {
            email: `burst-${index}-${crypto.randomUUID().slice(0, 6)}@example.com`,
            password: GOOD_PASSWORD,
            businessName: `Burst ${index}`,
          },
          headers: { origin: relay.url },
        }),
      ),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const limited = answers.filter((answer) => answer.status === 429);
    assert.equal(accepted.length, 3, answers.map((answer) => answer.status).join(','));
    assert.equal(limited.length, 22);
    for (const answer of limited) {
      assert.equal(answer.body.error.code, 'rate_limited');
      assert.ok(Number(answer.headers.get('retry-after')) >= 1);
    }
    assert.equal(relay.mailbox.messages.length, 3, 'a refused signup sends no mail');
    const users = await relay.database.knex('merchant_users').count<Array<{ count: string }>>('* as count');
    assert.equal(Number(users[0]!.count), 0, 'no tenant without a verified email');
  });
});
