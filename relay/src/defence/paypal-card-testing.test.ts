import assert from 'node:assert/strict';
import {
  startChallengeSandbox,
  startPayPalSandbox,
  startStripeSandbox,
  type ChallengeSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { PAGE_ORIGIN, postJson, seedTenantWithForm } from '../testing/payment-fixtures.js';
import { paypalEnvFor, paypalOrderRequest } from '../testing/paypal-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

type Answer = {
  orderId?: string;
  error?: { code: string; challenge?: { provider: string; siteKey: string } };
};

describe('card-testing defence on PayPal orders: the same caps and CAPTCHA as the card path', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let paypal: PayPalSandbox;
  let captcha: ChallengeSandbox;
  let relay: TestRelay;
  let ipCount = 0;
  const newIp = () => `203.0.113.${(ipCount += 1)}`;

  before(async () => {
    [stripe, paypal, captcha] = await Promise.all([
      startStripeSandbox(),
      startPayPalSandbox({ webhookRetryDelaysMs: [50] }),
      startChallengeSandbox(),
    ]);
    relay = await startTestRelay(stripe, {
      env: {
        ...paypalEnvFor(paypal),
        TRUSTED_PROXY_HOPS: '1',
        CARD_ATTEMPTS_PER_IP_PER_HOUR: '3',
        CARD_DECLINES_PER_IP_PER_DAY: '1',
        CHALLENGE_PROVIDER: 'turnstile',
        CHALLENGE_SITE_KEY: captcha.turnstile.siteKey,
        CHALLENGE_SECRET_KEY: captcha.turnstile.secretKey,
        CHALLENGE_VERIFY_URL: captcha.turnstileVerifyUrl,
      },
    });
  });
  after(async () => {
    await relay?.close();
    await Promise.all([stripe?.close(), paypal?.close(), captcha?.close()]);
  });

  const seed = () => seedTenantWithForm(relay.database.knex, { form: { providers: ['stripe', 'paypal'] } });
  const order = (body: Record<string, unknown>, ip: string) =>
    postJson<Answer>(`${relay.url}/v1/paypal/orders`, body, { origin: PAGE_ORIGIN, 'x-forwarded-for': ip });

  it('asks for the tenant’s CAPTCHA before creating an order, and creates one for a solved token', async () => {
    const seeded = await seed();
    await relay.database.knex('tenants').where({ id: seeded.tenant.id }).update({ challenge: 'always' });
    const ip = newIp();
    const ordersBefore = paypal.orders().length;
    const request = paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid);

    const asked = await order(request, ip);
    assert.equal(asked.status, 403);
    assert.equal(asked.body.error?.code, 'challenge_required');
    assert.deepEqual(asked.body.error?.challenge, {
      provider: 'turnstile',
      siteKey: captcha.turnstile.siteKey,
    });

    const forged = await order({ ...request, challengeToken: 'XXXX.DUMMY.TOKEN.XXXX' }, ip);
    assert.equal(forged.body.error?.code, 'challenge_failed');
    assert.equal(paypal.orders().length, ordersBefore, 'no PayPal order for a refused attempt');

    const solved = await order({ ...request, challengeToken: captcha.solve(captcha.turnstile.siteKey) }, ip);
    assert.equal(solved.status, 200, JSON.stringify(solved.body));
    assert.equal(paypal.orders().length, ordersBefore + 1);
    assert.equal(captcha.verifications().at(-1)?.remoteip, ip, 'siteverify is told the payer IP');
  });

  it('caps orders per client IP with 429 and Retry-After', async () => {
    const seeded = await seed();
    const ip = newIp();
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push(
        (await order(paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid), ip)).status,
      );
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const refused = await order(paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid), ip);
    assert.equal(refused.body.error?.code, 'too_many_attempts');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
  });

  it('counts a declined funding source at capture against the IP: its next order is refused', async () => {
    const seeded = await seed();
    const ip = newIp();
    const request = paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid);
    const created = await order(request, ip);
    const orderId = created.body.orderId as string;
    paypal.approveOrder(orderId, { instrument: 'declined' });
    const declined = await postJson<Answer>(
      `${relay.url}/v1/paypal/orders/${orderId}/capture`,
      { tenantId: request.tenantId, attemptId: request.attemptId },
      { origin: PAGE_ORIGIN, 'x-forwarded-for': ip },
    );
    assert.equal(declined.body.error?.code, 'instrument_declined');
    const next = await order(paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid), ip);
    assert.equal(next.status, 429);
    assert.equal(next.body.error?.code, 'too_many_attempts');
  });

  it('names the CAPTCHA in the form’s public config only for a tenant that asks for one', async () => {
    const [plain, asking] = [await seed(), await seed()];
    await relay.database
      .knex('tenants')
      .where({ id: asking.tenant.id })
      .update({ challenge: 'after_decline' });
    const challengeOf = async (seeded: typeof plain) =>
      (
        (await (
          await fetch(`${relay.url}/v1/forms/${seeded.tenant.id}/${seeded.form.hubspotFormGuid}`, {
            headers: { origin: PAGE_ORIGIN },
          })
        ).json()) as { challenge: unknown }
      ).challenge;
    assert.equal(await challengeOf(plain), null);
    assert.deepEqual(await challengeOf(asking), {
      provider: 'turnstile',
      siteKey: captcha.turnstile.siteKey,
      policy: 'after_decline',
      scriptUrl: `${captcha.url}/turnstile/v0/api.js`,
    });
  });

  it('refuses hostile challenge tokens on orders as invalid requests', async () => {
    const seeded = await seed();
    for (const challengeToken of ['x'.repeat(2049), 7, '', { $gt: '' }]) {
      const answer = await order(
        paypalOrderRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, { challengeToken }),
        newIp(),
      );
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error?.code, 'invalid_request');
    }
  });
});
