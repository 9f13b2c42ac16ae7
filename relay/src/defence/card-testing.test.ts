import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  startChallengeSandbox,
  startStripeSandbox,
  type ChallengeSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { createLogger } from '../logger.js';
import { startRelay, type RunningRelay } from '../server.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
  PAGE_ORIGIN,
} from '../testing/payment-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';

const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';
type ErrorAnswer = { error: { code: string; challenge?: { provider: string; siteKey: string } } };

describe('card-testing defence: limits in the database, shared by every relay, and a CAPTCHA', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let captcha: ChallengeSandbox;
  let relay: TestRelay;
  let second: RunningRelay;
  let ipCount = 0;
  // Every test pays from its own client IP (the relay trusts one proxy hop), so per-IP counts
  // never leak between tests.
  const newIp = () => `198.51.100.${(ipCount += 1)}`;

  before(async () => {
    [stripe, captcha] = await Promise.all([startStripeSandbox(), startChallengeSandbox()]);
    relay = await startTestRelay(stripe, {
      env: {
        TRUSTED_PROXY_HOPS: '1',
        CARD_ATTEMPTS_PER_IP_PER_HOUR: '6',
        CARD_ATTEMPTS_PER_EMAIL_PER_HOUR: '3',
        CARD_ATTEMPTS_PER_TENANT_PER_HOUR: '5',
        CARD_DECLINES_PER_EMAIL_PER_DAY: '2',
        CARD_DECLINES_PER_IP_PER_DAY: '4',
        CARD_FAILURES_PER_ATTEMPT: '2',
        CHALLENGE_PROVIDER: 'turnstile',
        CHALLENGE_SITE_KEY: captcha.turnstile.siteKey,
        CHALLENGE_SECRET_KEY: captcha.turnstile.secretKey,
        CHALLENGE_VERIFY_URL: captcha.turnstileVerifyUrl,
        METRICS_TOKEN: 'metrics-token-0123456789abcdef',
      },
    });
    // A second relay process on the same database, as behind a load balancer.
    second = await startRelay({
      config: relay.config,
      logger: createLogger({
        level: 'silent',
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
      database: relay.database.app ?? relay.database,
      migrate: false,
    });
  });
  after(async () => {
    await second?.close();
    await relay?.close();
    await Promise.all([stripe?.close(), captcha?.close()]);
  });

  const card = (number = GOOD_CARD) =>
    createCardPaymentMethod(stripe.url, stripe.keys.publishableTest, number);
  async function pay(
    seeded: Awaited<ReturnType<typeof seedTenantWithForm>>,
    options: { ip: string; email?: string; number?: string; via?: string; extra?: Record<string, unknown> },
  ) {
    const contact = { email: options.email ?? 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
    const request = paymentRequest(
      seeded.tenant.id,
      seeded.form.hubspotFormGuid,
      await card(options.number),
      {
        contact,
        ...options.extra,
      },
    );
    return postJson<ErrorAnswer & { status?: string }>(`${options.via ?? relay.url}/v1/payments`, request, {
      origin: PAGE_ORIGIN,
      'x-forwarded-for': options.ip,
    });
  }
  const seed = () => seedTenantWithForm(relay.database.knex);
  const setPolicy = (tenantId: string, challenge: string) =>
    relay.database.knex('tenants').where({ id: tenantId }).update({ challenge });

  it('two relays on one database enforce one per-email limit between them, with 429 and Retry-After', async () => {
    const seeded = await seed();
    const email = `shared-${crypto.randomUUID()}@example.com`;
    const answers = [];
    for (const via of [relay.url, second.url, relay.url])
      answers.push(await pay(seeded, { ip: newIp(), email, via }));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200],
    );
    const refused = await pay(seeded, { ip: newIp(), email: email.toUpperCase(), via: second.url });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_attempts');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    // Another payer of the same form is not affected.
    assert.equal((await pay(seeded, { ip: newIp(), email: 'someone-else@example.com' })).status, 200);
    const keys = (await relay.database.knex('payment_throttle').select('key')).map(
      (row: { key: string }) => row.key,
    );
    assert.ok(!keys.some((key) => key.toLowerCase().includes('example.com')), 'no email is stored');
  });

  it('caps attempts per client IP across emails and tenants', async () => {
    const ip = newIp();
    const [a, b] = [await seed(), await seed()];
    const statuses = [];
    for (let index = 0; index < 7; index += 1) {
      statuses.push(
        (await pay(index % 2 ? a : b, { ip, email: `ip-${index}-${crypto.randomUUID()}@example.com` }))
          .status,
      );
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429]);
    assert.equal(
      (await pay(a, { ip: newIp(), email: `fresh-${crypto.randomUUID()}@example.com` })).status,
      200,
    );
  });

  it('caps attempts per tenant, whatever IPs and emails the attacker rotates through', async () => {
    const seeded = await seed();
    const statuses = [];
    for (let index = 0; index < 6; index += 1) {
      statuses.push(
        (await pay(seeded, { ip: newIp(), email: `t-${crypto.randomUUID()}@example.com` })).status,
      );
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  });

  it('stops an email after its declines: the next card is refused before it reaches Stripe', async () => {
    const seeded = await seed();
    const email = `declined-${crypto.randomUUID()}@example.com`;
    for (let index = 0; index < 2; index += 1) {
      const declined = await pay(seeded, { ip: newIp(), email, number: DECLINED_CARD });
      assert.equal(declined.body.error.code, 'card_declined');
    }
    const intentsBefore = stripe.paymentIntents().length;
    const refused = await pay(seeded, { ip: newIp(), email });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_attempts');
    assert.equal(stripe.paymentIntents().length, intentsBefore, 'no PaymentIntent for the refused attempt');
  });

  it('caps failed answers per attempt id', async () => {
    const seeded = await seed();
    const ip = newIp();
    const request = paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, await card(DECLINED_CARD), {
      contact: {
        email: `attempt-${crypto.randomUUID()}@example.com`,
        firstName: 'Ada',
        lastName: 'Lovelace',
      },
    });
    const send = () =>
      postJson<ErrorAnswer>(`${relay.url}/v1/payments`, request, {
        origin: PAGE_ORIGIN,
        'x-forwarded-for': ip,
      });
    assert.equal((await send()).body.error.code, 'card_declined');
    assert.equal((await send()).body.error.code, 'card_declined');
    assert.equal((await send()).body.error.code, 'too_many_attempts');
  });

  it('asks for a CAPTCHA on every payment of a tenant that wants one, and verifies it server-side', async () => {
    const seeded = await seed();
    await setPolicy(seeded.tenant.id, 'always');
    const ip = newIp();
    const email = `captcha-${crypto.randomUUID()}@example.com`;
    const asked = await pay(seeded, { ip, email });
    assert.equal(asked.status, 403);
    assert.equal(asked.body.error.code, 'challenge_required');
    assert.deepEqual(asked.body.error.challenge, {
      provider: 'turnstile',
      siteKey: captcha.turnstile.siteKey,
    });

    const forged = await pay(seeded, { ip, email, extra: { challengeToken: 'XXXX.DUMMY.TOKEN.XXXX' } });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, 'challenge_failed');

    const token = captcha.solve(captcha.turnstile.siteKey);
    const paid = await pay(seeded, { ip, email, extra: { challengeToken: token } });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const verified = captcha.verifications().at(-1);
    assert.equal(verified?.success, true);
    assert.equal(verified?.remoteip, ip, 'siteverify is told the payer IP');

    const replayed = await pay(seeded, { ip, email: `other-${email}`, extra: { challengeToken: token } });
    assert.equal(replayed.body.error.code, 'challenge_failed', 'a token pays once');
    assert.deepEqual(captcha.verifications().at(-1)?.errorCodes, ['timeout-or-duplicate']);
  });

  it('a retry of the same attempt needs no second token (the SDK re-sends the very same request)', async () => {
    const seeded = await seed();
    await setPolicy(seeded.tenant.id, 'always');
    const ip = newIp();
    const request = paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, await card(), {
      contact: { email: `retry-${crypto.randomUUID()}@example.com`, firstName: 'Ada', lastName: 'Lovelace' },
      challengeToken: captcha.solve(captcha.turnstile.siteKey),
    });
    const send = () =>
      postJson<{ status: string }>(`${relay.url}/v1/payments`, request, {
        origin: PAGE_ORIGIN,
        'x-forwarded-for': ip,
      });
    const first = await send();
    const again = await send();
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.equal(again.body.status, first.body.status);
  });

  it('with after_decline, asks for a CAPTCHA only once the payer has a decline', async () => {
    const seeded = await seed();
    await setPolicy(seeded.tenant.id, 'after_decline');
    const ip = newIp();
    const email = `suspect-${crypto.randomUUID()}@example.com`;
    assert.equal((await pay(seeded, { ip, email, number: DECLINED_CARD })).body.error.code, 'card_declined');
    assert.equal((await pay(seeded, { ip, email })).body.error.code, 'challenge_required');
    const token = captcha.solve(captcha.turnstile.siteKey);
    assert.equal((await pay(seeded, { ip, email, extra: { challengeToken: token } })).status, 200);
  });

  it('answers 503 provider_unavailable, never a pass, when siteverify is down', async () => {
    const seeded = await seed();
    await setPolicy(seeded.tenant.id, 'always');
    captcha.setOutage('down');
    try {
      const token = captcha.solve(captcha.turnstile.siteKey);
      const answer = await pay(seeded, {
        ip: newIp(),
        email: `down-${crypto.randomUUID()}@example.com`,
        extra: { challengeToken: token },
      });
      assert.equal(answer.status, 503);
      assert.equal(answer.body.error.code, 'provider_unavailable');
    } finally {
      captcha.setOutage('none');
    }
  });

  it('refuses hostile challenge tokens as invalid requests', async () => {
    const seeded = await seed();
    for (const challengeToken of ['x'.repeat(2049), 42, '', { $ne: null }, ['a']]) {
      const answer = await pay(seeded, {
        ip: newIp(),
        email: `hostile-${crypto.randomUUID()}@example.com`,
        extra: { challengeToken },
      });
      assert.equal(answer.status, 400, JSON.stringify(challengeToken).slice(0, 40));
      assert.equal(answer.body.error.code, 'invalid_request');
    }
  });

  it('counts refusals by reason in /metrics (each relay its own)', async () => {
    const scrape = (url: string) =>
      fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } }).then(
        (response) => response.text(),
      );
    const text = (await scrape(relay.url)) + (await scrape(second.url));
    for (const reason of [
      'email',
      'ip',
      'tenant',
      'declines',
      'attempt',
      'challenge_required',
      'challenge_failed',
    ]) {
      assert.match(
        text,
        new RegExp(`onepagepay_card_testing_refusals_total\\{reason="${reason}"\\} [1-9]`),
        reason,
      );
    }
  });
});
