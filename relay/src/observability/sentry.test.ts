import assert from 'node:assert/strict';
import * as Sentry from '@sentry/node';
import type { Knex } from 'knex';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../testing/payment-fixtures.js';
import { runCliCaptured } from '../testing/run-cli.js';
import { SentryCapture } from '../testing/sentry-capture.js';
import { startTestRelay, TEST_WEBHOOK_SECRET, type TestRelay } from '../testing/test-relay.js';

/** What a payer's browser (and whatever sits in front of it) sends along; none of it may reach Sentry. */
const PAYER = { email: 'zephyrine.quill@example.com', firstName: 'Zephyrine', lastName: 'Quillfeather' };
const CLIENT_IP = '203.0.113.77';
const COOKIE_VALUE = 'cookie7f3a9c41d2e8b6';
const AUTHORIZATION_TOKEN = 'opp_test_AuthHeaderToken123456';
const SIGNATURE = 't=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd';
const QUERY_TOKEN = 'querytoken9d8c7b6a';

/**
 * The database refuses the payer's contact with a message that quotes the email, as a constraint
 * or trigger message can: a real, unexpected failure deep in the payment path after the charge.
 */
async function failContactWrites(knex: Knex): Promise<void> {
  await knex.raw(`create or replace function refuse_contact() returns trigger language plpgsql as $$
    begin raise exception 'contact % refused by the database', new.email; end $$`);
  await knex.raw(`create trigger refuse_contact before insert or update on contacts
    for each row execute function refuse_contact()`);
}

async function allowContactWrites(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists refuse_contact on contacts');
}

describe('Sentry error reporting (SENTRY_DSN)', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let capture: SentryCapture;
  let relay: TestRelay;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;

  before(async () => {
    stripe = await startStripeSandbox();
    capture = new SentryCapture();
    await capture.start();
    relay = await startTestRelay(stripe, {
      env: {
        SENTRY_DSN: capture.dsn,
        SENTRY_ENVIRONMENT: 'ci',
        SENTRY_RELEASE: 'relay-under-test',
        TRUSTED_PROXY_HOPS: '1',
      },
    });
    seeded = await seedTenantWithForm(relay.database.knex);
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
    await capture?.close();
  });

  /** A card payment sent with everything a browser and a proxy could add that must not leave. */
  async function pay() {
    const paymentMethod = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const body = paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethod, {
      contact: PAYER,
    });
    return postJson<{ error?: { code: string; requestId: string } }>(
      `${relay.url}/v1/payments?token=${QUERY_TOKEN}`,
      body,
      {
        origin: PAGE_ORIGIN,
        cookie: `opp_session=${COOKIE_VALUE}`,
        authorization: `Bearer ${AUTHORIZATION_TOKEN}`,
        'stripe-signature': SIGNATURE,
        'x-forwarded-for': CLIENT_IP,
        'user-agent': `Mozilla/5.0 (${PAYER.firstName})`,
      },
    );
  }

  it('reports an unexpected error once, tagged with request, route and tenant, and nothing of the payer', async () => {
    await failContactWrites(relay.database.knex);
    let response;
    try {
      response = await pay();
    } finally {
      await allowContactWrites(relay.database.knex);
    }
    assert.equal(response.status, 500);
    assert.equal(response.body.error?.code, 'internal_error');
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId);
    assert.equal(await relay.errorReporter.flush(5_000), true);

    const events = capture.events();
    assert.equal(events.length, 1, 'one event for one failed request');
    const event = events[0] as {
      tags: Record<string, string>;
      transaction: string;
      environment: string;
      release: string;
      exception: { values: Array<{ type: string; value: string; stacktrace?: { frames: unknown[] } }> };
    };
    assert.deepEqual(event.tags, {
      request_id: requestId,
      route: '/v1/payments',
      method: 'POST',
      status: '500',
      error_code: 'internal_error',
      tenant_id: seeded.tenant.id,
      livemode: 'false',
    });
    assert.equal(event.transaction, 'POST /v1/payments');
    assert.equal(event.environment, 'ci');
    assert.equal(event.release, 'relay-under-test');
    const exception = event.exception.values.at(-1);
    assert.match(exception?.value ?? '', /contact \[email\] refused by the database/, 'the message, masked');
    assert.ok((exception?.stacktrace?.frames.length ?? 0) > 0, 'where it broke');
    for (const key of ['request', 'user', 'extra', 'breadcrumbs', 'server_name']) {
      assert.ok(!(key in event), `no ${key} in the event`);
    }

    const sent = capture.envelopes.map((envelope) => envelope.raw).join('\n');
    const secrets = {
      email: PAYER.email,
      emailLocalPart: 'zephyrine.quill',
      firstName: PAYER.firstName,
      lastName: PAYER.lastName,
      ip: CLIENT_IP,
      cookie: COOKIE_VALUE,
      authorization: AUTHORIZATION_TOKEN,
      signature: SIGNATURE.slice(15),
      queryToken: QUERY_TOKEN,
      stripeSecretKey: stripe.keys.secretTest,
      stripeLiveSecretKey: stripe.keys.secretLive,
      webhookSecret: TEST_WEBHOOK_SECRET,
      card: '4242424242424242',
    };
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!sent.toLowerCase().includes(value.toLowerCase()), `the envelope holds the ${name}`);
    }
  });

  it("sends nothing for a client's 4xx, only for the 5xx that follows it", async () => {
    const before = capture.events().length;
    const invalid = await postJson(`${relay.url}/v1/payments`, {
      tenantId: seeded.tenant.id,
      contact: PAYER,
    });
    assert.equal(invalid.status, 400);
    const unknownForm = await fetch(`${relay.url}/v1/forms/${seeded.tenant.id}/${crypto.randomUUID()}`);
    assert.equal(unknownForm.status, 404);
    const unknownRoute = await fetch(`${relay.url}/v1/nothing-here`);
    assert.equal(unknownRoute.status, 404);

    await failContactWrites(relay.database.knex);
    let failed;
    try {
      failed = await pay();
    } finally {
      await allowContactWrites(relay.database.knex);
    }
    assert.equal(failed.status, 500);
    // Flushing waits for every report made so far, the 4xx ones too had there been any.
    assert.equal(await relay.errorReporter.flush(5_000), true);
    const added = capture.events().slice(before) as Array<{ tags: Record<string, string> }>;
    assert.deepEqual(
      added.map((event) => event.tags.request_id),
      [failed.headers.get('x-request-id')],
    );
  });

  it('initialises nothing without SENTRY_DSN, even with one in the process environment', async () => {
    const previous = process.env.SENTRY_DSN;
    // The SDK reads SENTRY_DSN from the environment when given none: the relay must not let it.
    process.env.SENTRY_DSN = capture.dsn;
    const plain = await startTestRelay(stripe);
    try {
      assert.equal(plain.config.sentry, undefined);
      assert.equal(plain.errorReporter.enabled, false);
      assert.equal(Sentry.getClient(), undefined, 'no global Sentry client');
      assert.ok(plain.logLines.some((line) => line.includes('"errorReporting":false')));

      const { tenant, form } = await seedTenantWithForm(plain.database.knex);
      await failContactWrites(plain.database.knex);
      const before = capture.envelopes.length;
      const paymentMethod = await createCardPaymentMethod(
        stripe.url,
        stripe.keys.publishableTest,
        '4242424242424242',
      );
      const response = await postJson(
        `${plain.url}/v1/payments`,
        paymentRequest(tenant.id, form.hubspotFormGuid, paymentMethod),
      );
      assert.equal(response.status, 500);
      assert.equal(await plain.errorReporter.flush(5_000), true);
      assert.equal(capture.envelopes.length, before, 'nothing sent');
    } finally {
      if (previous === undefined) delete process.env.SENTRY_DSN;
      else process.env.SENTRY_DSN = previous;
      await plain.close();
    }
  });

  it('refuses to start with a malformed SENTRY_DSN, saying what a DSN looks like', async () => {
    const previous = process.env.SENTRY_DSN;
    process.env.SENTRY_DSN = 'sentry.example.com/1';
    try {
      const { code, err } = await runCliCaptured(process.env, ['serve']);
      assert.equal(code, 1);
      assert.match(err.join('\n'), /^error: SENTRY_DSN must be a Sentry DSN such as https:\/\/<public key>@/);
    } finally {
      if (previous === undefined) delete process.env.SENTRY_DSN;
      else process.env.SENTRY_DSN = previous;
    }
  });
});
