import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { createLogger } from '../logger.js';
import { startRelay } from '../server.js';
import { useRelayWithSandbox } from '../testing/use-relay.js';
import {
  answerThreeDSecure,
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../testing/payment-fixtures.js';

describe('POST /v1/payments (relay + Stripe sandbox + real database)', function () {
  this.timeout(60_000);
  const h = useRelayWithSandbox();

  const card = (number: string, account?: string | null) =>
    createCardPaymentMethod(h.stripe.url, h.stripe.keys.publishableTest, number, account);
  const pay = (body: unknown, headers?: Record<string, string>) =>
    postJson(`${h.relay.url}/v1/payments`, body, headers);
  const transactionRow = (id: string) => h.relay.database.knex('transactions').where({ id }).first();

  it('charges 4242 with the price the form sets and records contact and transaction', async () => {
    const paymentMethodId = await card('4242424242424242');
    const response = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, paymentMethodId),
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.status, 'succeeded');
    assert.equal(response.body.amount, 4900);
    assert.equal(response.body.currency, 'USD');
    assert.equal(response.headers.get('access-control-allow-origin'), PAGE_ORIGIN);

    const row = await transactionRow(response.body.transactionId as string);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.amount, 4900);
    assert.equal(row.product_name, 'Workshop ticket');
    assert.match(row.provider_payment_id, /^pi_/);
    assert.equal(row.livemode, false);
    const contact = await h.relay.database.knex('contacts').where({ id: row.contact_id }).first();
    assert.equal(contact.email, 'ada.lovelace@example.com');
    assert.equal(contact.first_name, 'Ada');
    assert.match(contact.stripe_customer_id, /^cus_/);

    const intent = h.stripe.paymentIntents().find((candidate) => candidate.id === row.provider_payment_id);
    assert.equal(intent?.amount, 4900);
    assert.equal(intent?.currency, 'usd');
    assert.equal((intent?.metadata as Record<string, string>).onepagepay_transaction_id, row.id);
    assert.equal(intent?.customer, contact.stripe_customer_id);
    const outbox = await h.relay.database.knex('outbox').where({ transaction_id: row.id });
    assert.equal(outbox.length, 1, 'one HubSpot push queued with the paid transaction');
  });

  it('never takes the price from the client', async () => {
    const before = h.stripe.paymentIntents().length;
    const response = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, await card('4242424242424242'), {
        amount: 1,
      }),
    );
    assert.equal(response.status, 409);
    assert.equal((response.body.error as { code: string }).code, 'price_changed');
    assert.equal(h.stripe.paymentIntents().length, before, 'no charge attempted');
  });

  it('reuses the Stripe customer for a returning payer', async () => {
    const first = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, await card('4242424242424242')),
    );
    const second = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, await card('4242424242424242')),
    );
    const rows = await h.relay.database
      .knex('transactions')
      .whereIn('id', [String(first.body.transactionId), String(second.body.transactionId)]);
    assert.equal(new Set(rows.map((row) => row.contact_id)).size, 1);
    const customers = h.stripe
      .customers()
      .filter((customer) => customer.email === 'ada.lovelace@example.com');
    assert.equal(customers.length, 1);
  });

  it('makes two Stripe calls for a new payer: create the customer, then charge', async () => {
    const paymentMethodId = await card('4242424242424242');
    const logged = h.stripe.requestLog().length;
    const response = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, paymentMethodId, {
        contact: { email: 'new.payer@example.com', firstName: 'New', lastName: 'Payer' },
      }),
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const calls = h.stripe
      .requestLog()
      .slice(logged)
      .map((entry) => `${entry.method} ${entry.path}`);
    assert.deepEqual(calls, ['POST /v1/customers', 'POST /v1/payment_intents']);
  });

  it('makes one Stripe customer when a new payer pays five times at once, under different names', async () => {
    const email = `burst.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cards = await Promise.all(Array.from({ length: 5 }, () => card('4242424242424242')));
    const responses = await Promise.all(
      cards.map((paymentMethodId, index) =>
        pay(
          paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, paymentMethodId, {
            contact: { email, firstName: 'Burst', lastName: `Payer${index}` },
          }),
        ),
      ),
    );
    for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body));
    const customers = h.stripe.customers().filter((customer) => customer.email === email);
    assert.equal(customers.length, 1);
    const contacts = await h.relay.database.knex('contacts').where({ email });
    assert.deepEqual(
      contacts.map((contact) => contact.stripe_customer_id),
      [customers[0]?.id],
    );
  });

  it('adopts the customer an unfinished first payment created, even under another name', async () => {
    // The relay died after Stripe made the customer and before the contact was stored; the retry
    // sends other names, so Stripe refuses the replayed create and the relay finds the customer.
    const email = 'half.done@example.com';
    const emailHash = createHash('sha256').update(email).digest('hex').slice(0, 32);
    const stripe = new Stripe(h.stripe.keys.secretTest, {
      host: '127.0.0.1',
      port: h.stripe.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const earlier = await stripe.customers.create(
      { email, name: 'Half Done', metadata: { onepagepay_tenant_id: h.seeded.tenant.id } },
      { idempotencyKey: `opp_cus_${h.seeded.tenant.id}_test_${emailHash}` },
    );
    const response = await pay(
      paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, await card('4242424242424242'), {
        contact: { email, firstName: 'Wholly', lastName: 'Different' },
      }),
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const contact = await h.relay.database.knex('contacts').where({ email }).first();
    assert.equal(contact.stripe_customer_id, earlier.id);
    assert.equal(h.stripe.customers().filter((customer) => customer.email === email).length, 1);
  });

  it('asks for 3-D Secure, then confirms after the browser step', async () => {
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4000002500003155'),
    );
    const first = await pay(request);
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'requires_action');
    assert.match(String(first.body.clientSecret), /^pi_.+_secret_/);

    const replay = await pay(request);
    assert.equal(replay.body.status, 'requires_action', 'a replay during 3-D Secure gets the same step back');
    assert.equal(replay.body.clientSecret, first.body.clientSecret);

    await answerThreeDSecure(
      h.stripe.url,
      h.stripe.keys.publishableTest,
      String(first.body.clientSecret),
      'succeed',
    );
    const confirmed = await postJson(`${h.relay.url}/v1/payments/${first.body.transactionId}/confirm`, {
      tenantId: h.seeded.tenant.id,
      attemptId: request.attemptId,
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, 'succeeded');
    assert.equal((await transactionRow(String(first.body.transactionId))).status, 'succeeded');
  });

  it('reports a failed 3-D Secure challenge as a payment failure', async () => {
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4000002500003155'),
    );
    const first = await pay(request);
    await answerThreeDSecure(
      h.stripe.url,
      h.stripe.keys.publishableTest,
      String(first.body.clientSecret),
      'fail',
    );
    const confirmed = await postJson(`${h.relay.url}/v1/payments/${first.body.transactionId}/confirm`, {
      tenantId: h.seeded.tenant.id,
      attemptId: request.attemptId,
    });
    assert.equal(confirmed.status, 402);
    assert.equal((confirmed.body.error as { code: string }).code, 'payment_authentication_failed');
    assert.equal((await transactionRow(String(first.body.transactionId))).status, 'failed');
  });

  it('answers declines with Stripe decline codes, the same on replay', async () => {
    for (const [number, declineCode] of [
      ['4000000000000002', 'generic_decline'],
      ['4000000000009995', 'insufficient_funds'],
    ] as const) {
      const request = paymentRequest(h.seeded.tenant.id, h.seeded.form.hubspotFormGuid, await card(number));
      const response = await pay(request);
      assert.equal(response.status, 402);
      const error = response.body.error as { code: string; declineCode: string; message: string };
      assert.equal(error.code, 'card_declined');
      assert.equal(error.declineCode, declineCode);
      assert.ok(error.message.length > 0);
      const replay = await pay(request);
      assert.equal(replay.status, 402);
      assert.equal((replay.body.error as { declineCode: string }).declineCode, declineCode);
      const row = await h.relay.database
        .knex('transactions')
        .where({ attempt_id: request.attemptId })
        .first();
      assert.equal(row.status, 'failed');
      assert.equal(row.decline_code, declineCode);
    }
  });

  it('gives an unknown tenant, a malformed id and an unknown form the same 404', async () => {
    const paymentMethodId = await card('4242424242424242');
    const bodies = [];
    for (const [tenantId, formId] of [
      [crypto.randomUUID(), h.seeded.form.hubspotFormGuid],
      [h.seeded.tenant.id, crypto.randomUUID()],
    ]) {
      const response = await pay(paymentRequest(tenantId as string, formId as string, paymentMethodId));
      assert.equal(response.status, 404);
      bodies.push({ ...(response.body.error as object), requestId: undefined });
    }
    assert.deepEqual(bodies[0], bodies[1]);
    for (const path of [
      `/v1/forms/${crypto.randomUUID()}/x`,
      '/v1/forms/not-a-uuid/x',
      `/v1/forms/${h.seeded.tenant.id}/nope`,
    ]) {
      const response = await fetch(`${h.relay.url}${path}`);
      assert.equal(response.status, 404);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.deepEqual(
        { code: body.error.code, message: body.error.message },
        { code: 'not_found', message: 'No such resource.' },
      );
    }
  });

  it('refuses a page origin the tenant did not allow, and sends it no CORS headers', async () => {
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4242424242424242'),
    );
    const response = await pay(request, { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal((response.body.error as { code: string }).code, 'origin_not_allowed');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const noOrigin = await pay(request, {});
    assert.equal(noOrigin.status, 403);

    const preflight = (origin: string) =>
      fetch(`${h.relay.url}/v1/payments`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    assert.equal((await preflight(PAGE_ORIGIN)).headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    assert.equal((await preflight('https://evil.example')).headers.get('access-control-allow-origin'), null);
  });

  it('rejects an attempt id reused for a different payment', async () => {
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4242424242424242'),
    );
    assert.equal((await pay(request)).status, 200);
    const changed = await pay({
      ...request,
      contact: { ...request.contact, email: 'someone.else@example.com' },
    });
    assert.equal(changed.status, 409);
    assert.equal((changed.body.error as { code: string }).code, 'attempt_conflict');
  });

  it('turns 1,000 concurrent copies of one attempt into exactly one charge and one transaction', async function () {
    this.timeout(120_000);
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4242424242424242'),
    );
    const intentsBefore = h.stripe.paymentIntents().length;
    const responses = await Promise.all(Array.from({ length: 1000 }, () => pay(request)));
    const statuses = new Set(responses.map((response) => `${response.status}:${response.body.status}`));
    assert.deepEqual([...statuses], ['200:succeeded']);
    assert.equal(new Set(responses.map((response) => response.body.transactionId)).size, 1);
    assert.equal(h.stripe.paymentIntents().length - intentsBefore, 1, 'exactly one PaymentIntent');
    const rows = await h.relay.database.knex('transactions').where({ attempt_id: request.attemptId });
    assert.equal(rows.length, 1, 'exactly one transaction');
  });

  it('gives one charge when copies of an attempt race across two relay processes on one database', async function () {
    this.timeout(120_000);
    const second = await startRelay({
      config: h.relay.config,
      logger: createLogger({ level: 'silent' }),
      database: h.relay.database,
      migrate: false,
    });
    try {
      const request = paymentRequest(
        h.seeded.tenant.id,
        h.seeded.form.hubspotFormGuid,
        await card('4242424242424242'),
      );
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          postJson(`${index % 2 ? h.relay.url : second.url}/v1/payments`, request),
        ),
      );
      assert.deepEqual(
        [...new Set(responses.map((response) => `${response.status}:${response.body.status}`))],
        ['200:succeeded'],
      );
      const intents = h.stripe
        .paymentIntents()
        .filter(
          (intent) => (intent.metadata as Record<string, string>).onepagepay_attempt_id === request.attemptId,
        );
      assert.equal(intents.length, 1);
    } finally {
      await second.close();
    }
  });

  it('keeps a payment safe through a Stripe outage: 503 to the payer, one charge on retry', async () => {
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4242424242424242'),
    );
    h.stripe.setOutage('down');
    try {
      const failed = await pay(request);
      assert.equal(failed.status, 503);
      assert.equal((failed.body.error as { code: string }).code, 'provider_unavailable');
      const status = await fetch(`${h.relay.url}/v1/status`).then((response) => response.json());
      assert.equal((status as { providers: { stripe: { status: string } } }).providers.stripe.status, 'down');
    } finally {
      h.stripe.setOutage('none');
    }
    const retried = await pay(request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'succeeded');
    const intents = h.stripe
      .paymentIntents()
      .filter(
        (intent) => (intent.metadata as Record<string, string>).onepagepay_attempt_id === request.attemptId,
      );
    assert.equal(intents.length, 1);
  });

  it('charges on the connected account of a tenant that has one', async () => {
    const account = (await fetch(`${h.stripe.url}/v1/accounts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.stripe.keys.secretTest}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ type: 'express' }),
    }).then((response) => response.json())) as { id: string };
    const connected = await seedTenantWithForm(h.relay.database.knex, {
      stripeAccountId: account.id,
      name: 'Connected',
    });
    const config = (await fetch(
      `${h.relay.url}/v1/forms/${connected.tenant.id}/${connected.form.hubspotFormGuid}`,
    ).then((response) => response.json())) as { stripe: { accountId: string } };
    assert.equal(config.stripe.accountId, account.id);
    const paymentMethodId = await card('4242424242424242', account.id);
    const response = await pay(
      paymentRequest(connected.tenant.id, connected.form.hubspotFormGuid, paymentMethodId),
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(h.stripe.paymentIntents(account.id).length, 1);
    const platformIds = new Set(h.stripe.paymentIntents().map((intent) => intent.id));
    assert.ok(
      !platformIds.has(
        String((await transactionRow(String(response.body.transactionId))).provider_payment_id),
      ),
    );
  });

  it('keeps live and test data apart: a live form uses live keys and live rows', async () => {
    const live = await seedTenantWithForm(h.relay.database.knex, {
      form: { livemode: true },
      name: 'Live shop',
    });
    const config = (await fetch(
      `${h.relay.url}/v1/forms/${live.tenant.id}/${live.form.hubspotFormGuid}`,
    ).then((r) => r.json())) as { livemode: boolean; stripe: { publishableKey: string } };
    assert.equal(config.livemode, true);
    assert.match(config.stripe.publishableKey, /^pk_live_/);
    const paymentMethodId = await createCardPaymentMethod(
      h.stripe.url,
      h.stripe.keys.publishableLive,
      '4242424242424242',
    );
    const response = await pay(paymentRequest(live.tenant.id, live.form.hubspotFormGuid, paymentMethodId));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const row = await transactionRow(String(response.body.transactionId));
    assert.equal(row.livemode, true);
    assert.equal(
      h.stripe.paymentIntents(undefined, true).filter((intent) => intent.id === row.provider_payment_id)
        .length,
      1,
    );
    const contacts = await h.relay.database.knex('contacts').where({ tenant_id: live.tenant.id });
    assert.ok(contacts.every((contact) => contact.livemode === true));
  });

  it('handles zero-decimal currencies and payer-chosen amounts within the range', async () => {
    const yen = await seedTenantWithForm(h.relay.database.knex, {
      form: { currency: 'JPY', amount: 500 },
      name: 'Yen',
    });
    const yenResponse = await pay(
      paymentRequest(yen.tenant.id, yen.form.hubspotFormGuid, await card('4242424242424242')),
    );
    assert.equal(yenResponse.body.amount, 500);
    const yenRow = await transactionRow(String(yenResponse.body.transactionId));
    const yenIntent = h.stripe.paymentIntents().find((intent) => intent.id === yenRow.provider_payment_id);
    assert.deepEqual([yenIntent?.amount, yenIntent?.currency, yenRow.currency], [500, 'jpy', 'JPY']);
    const donation = await seedTenantWithForm(h.relay.database.knex, {
      form: { amount: null, customAmount: { min: 500, max: 50_000 } },
      name: 'Donations',
    });
    const tooLow = await pay(
      paymentRequest(donation.tenant.id, donation.form.hubspotFormGuid, await card('4242424242424242'), {
        amount: 100,
      }),
    );
    assert.equal((tooLow.body.error as { code: string }).code, 'amount_out_of_range');
    const chosen = await pay(
      paymentRequest(donation.tenant.id, donation.form.hubspotFormGuid, await card('4242424242424242'), {
        amount: 2500,
      }),
    );
    assert.equal(chosen.body.amount, 2500);
    const configOf = async (seeded: { tenant: { id: string }; form: { hubspotFormGuid: string } }) =>
      (await fetch(`${h.relay.url}/v1/forms/${seeded.tenant.id}/${seeded.form.hubspotFormGuid}`).then(
        (response) => response.json(),
      )) as { currencyDecimals: number };
    assert.equal((await configOf(yen)).currencyDecimals, 0, 'the page formats ¥500, not ¥5.00');
    assert.equal((await configOf(h.seeded)).currencyDecimals, 2);
  });

  it('refuses an email HubSpot would refuse before any PaymentIntent or transaction', async () => {
    const intents = h.stripe.paymentIntents().length;
    const request = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await card('4242424242424242'),
    );
    // A pattern HubSpot refuses, and a top-level domain that does not exist (HubSpot checks IANA's list).
    for (const email of ['ada@example.c', 'ada@example.comm', 'ada@@example.com']) {
      const response = await pay({ ...request, contact: { ...request.contact, email } });
      assert.equal(response.status, 400, email);
      assert.deepEqual(
        [
          (response.body.error as { code: string }).code,
          (response.body.error as { message: string }).message,
        ],
        ['invalid_email', 'Email must be formatted correctly.'],
        email,
      );
    }
    assert.equal(h.stripe.paymentIntents().length, intents, 'no PaymentIntent');
    const rows = await h.relay.database.knex('transactions').where({ attempt_id: request.attemptId });
    assert.equal(rows.length, 0, 'no transaction');
    // Internationalised domains pass, spelled in Unicode or in punycode.
    for (const email of ['ada@пример.рф', 'ada@example.xn--p1ai']) {
      const response = await pay({
        ...request,
        attemptId: `${request.attemptId.slice(0, 20)}${email.length}idn`,
        contact: { ...request.contact, email },
      });
      assert.notEqual((response.body.error as { code?: string } | undefined)?.code, 'invalid_email', email);
    }
  });
});
