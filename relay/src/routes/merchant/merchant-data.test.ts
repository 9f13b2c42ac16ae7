import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';
import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
  postJson,
} from '../../testing/payment-fixtures.js';
import {
  createApiKeyFor,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';

describe('merchant API: transactions, contacts, CSV export, refunds', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let merchant: MerchantClient;
  let key: string;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    merchant = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    key = (await createApiKeyFor(merchant, ['transactions:read', 'contacts:read', 'refunds:write'])).secret;
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  const get = (path: string) =>
    sendJson(relay.url, 'GET', path, { headers: { authorization: `Bearer ${key}` } });

  it('pages newest first with an opaque cursor, no duplicates and no gaps, and sends no CORS headers', async () => {
    const { transactionIds } = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 23 });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(
        `/v1/transactions?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      seen.push(...response.body.data.map((row: { id: string }) => row.id));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...transactionIds].reverse());
    const first = (await get('/v1/transactions?limit=1')).body.data[0];
    for (const hidden of [
      'attemptId',
      'requestFingerprint',
      'hutk',
      'claimedUntil',
      'clientSecret',
      'tenantId',
    ]) {
      assert.equal(hidden in first, false, hidden);
    }
    assert.equal((await get('/v1/transactions?limit=101')).status, 400);
    assert.equal((await get('/v1/transactions?cursor=garbage')).status, 400);
    const options = await fetch(`${relay.url}/v1/transactions`, {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'GET' },
    });
    assert.equal(options.headers.get('access-control-allow-origin'), null);
  });

  it('filters by created range, status, product, form, provider, contact email and sync state', async () => {
    const email = `filter-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const seeded = await seedTransactions(relay.database.knex, merchant.tenantId, {
      count: 4,
      email,
      status: 'failed',
      product: 'Filter product',
    });
    await relay.database
      .knex('transactions')
      .where({ id: seeded.transactionIds[0] })
      .update({ hubspot_sync_state: 'synced' });
    const ids = async (query: string) =>
      ((await get(`/v1/transactions?limit=100&${query}`)).body.data as Array<{ id: string }>)
        .map((row) => row.id)
        .sort();
    const all = [...seeded.transactionIds].sort();
    assert.deepEqual(await ids(`contact_email=${encodeURIComponent(email.toUpperCase())}`), all);
    assert.deepEqual(await ids(`product=${encodeURIComponent('Filter product')}&status=failed`), all);
    assert.deepEqual(await ids(`form=${seeded.form.id}`), all);
    assert.deepEqual(await ids(`form=${seeded.form.hubspotFormGuid}`), all);
    assert.deepEqual(await ids(`form=${seeded.form.id}&sync_state=synced`), [seeded.transactionIds[0]]);
    assert.deepEqual(
      await ids(`form=${seeded.form.id}&sync_state=none`),
      all.filter((id) => id !== seeded.transactionIds[0]),
    );
    assert.deepEqual(await ids(`form=${seeded.form.id}&provider=paypal`), []);
    const rows = await relay.database
      .knex('transactions')
      .whereIn('id', seeded.transactionIds)
      .orderBy('created_at');
    const from = new Date(rows[1].created_at).toISOString();
    const to = new Date(rows[3].created_at).toISOString();
    assert.deepEqual(
      await ids(`form=${seeded.form.id}&created_gte=${from}&created_lt=${to}`),
      [rows[1].id, rows[2].id].sort(),
    );
    assert.equal((await get('/v1/transactions?status=bogus')).status, 400);
  });

  it('exports the same filters as streamed CSV and audits the export', async () => {
    const seeded = await seedTransactions(relay.database.knex, merchant.tenantId, {
      count: 7,
      product: '=HYPERLINK("x")',
    });
    const response = await fetch(`${relay.url}/v1/transactions.csv?form=${seeded.form.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await response.text()).trim().split('\n');
    assert.equal(lines.length, 8);
    assert.match(lines[0]!, /^id,created_at,status,amount_minor,amount,currency/);
    assert.ok(
      lines.slice(1).every((line) => line.includes(`'=HYPERLINK`)),
      'formulas are neutralized',
    );
    assert.ok(lines[1]!.includes(',4900,49.00,USD,'));
    const exports = await relay.database
      .knex('audit_events')
      .where({ tenant_id: merchant.tenantId, action: 'export.csv' });
    assert.ok(exports.length >= 1);
  });

  it('exports exactly the rows the listing shows for each filter', async () => {
    const email = `csv-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const seeded = await seedTransactions(relay.database.knex, merchant.tenantId, {
      count: 3,
      email,
      status: 'refunded',
    });
    await relay.database
      .knex('transactions')
      .where({ id: seeded.transactionIds[1] })
      .update({ hubspot_sync_state: 'failed' });
    for (const query of [
      `contact_email=${encodeURIComponent(email)}`,
      `form=${seeded.form.hubspotFormGuid}&status=refunded`,
      'sync_state=failed',
      `form=${seeded.form.id}&sync_state=none&provider=stripe`,
    ]) {
      const listed = (await get(`/v1/transactions?limit=100&${query}`)).body.data.map(
        (row: { id: string }) => row.id,
      );
      const csv = String((await get(`/v1/transactions.csv?${query}`)).body)
        .trim()
        .split('\n')
        .slice(1);
      assert.deepEqual(
        csv.map((line) => line.split(',')[0]),
        listed,
        query,
      );
    }
  });

  it('survives clients that hang up in the middle of exports', async () => {
    await seedTransactions(relay.database.knex, merchant.tenantId, { count: 3000 });
    for (let attempt = 0; attempt < 25; attempt += 1) {
      const controller = new AbortController();
      const response = await fetch(`${relay.url}/v1/transactions.csv`, {
        headers: { authorization: `Bearer ${key}` },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    const after = await get('/v1/transactions?limit=5');
    assert.equal(after.status, 200, 'no database connection was lost to an aborted export');
  });

  it('lists contacts and shows one with its transactions', async () => {
    const seeded = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 2 });
    const list = await get('/v1/contacts?limit=100');
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((contact: { id: string }) => contact.id === seeded.contact.id));
    const one = await get(`/v1/contacts/${seeded.contact.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(
      one.body.transactions.map((row: { id: string }) => row.id).sort(),
      [...seeded.transactionIds].sort(),
    );
    assert.equal((await get(`/v1/contacts/${crypto.randomUUID()}`)).status, 404);
    assert.equal((await get('/v1/contacts/not-a-uuid')).status, 404);
  });

  it('refunds through Stripe, partially then fully, idempotent by Idempotency-Key, and queues HubSpot', async () => {
    await relay.database
      .knex('tenants')
      .where({ id: merchant.tenantId })
      .update({ allowed_origins: [PAGE_ORIGIN] });
    const { form } = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 0 });
    const paymentMethod = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await postJson(
      `${relay.url}/v1/payments`,
      paymentRequest(merchant.tenantId, form.hubspotFormGuid, paymentMethod),
    );
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const transactionId = paid.body.transactionId as string;
    const refund = (body: unknown, idempotencyKey: string) =>
      sendJson(relay.url, 'POST', `/v1/transactions/${transactionId}/refunds`, {
        body,
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
      });

    const partial = await refund({ amount: 1000 }, 'refund-key-0001');
    assert.equal(partial.status, 200, JSON.stringify(partial.body));
    assert.equal(partial.body.status, 'succeeded');
    assert.match(partial.body.providerRefundId, /^re_/);
    assert.equal(partial.body.transaction.status, 'partially_refunded');
    assert.equal(partial.body.transaction.amountRefunded, 1000);
    const replay = await refund({ amount: 1000 }, 'refund-key-0001');
    assert.equal(replay.status, 200);
    assert.equal(replay.body.id, partial.body.id, 'the same refund, not a second one');
    const conflict = await refund({ amount: 500 }, 'refund-key-0001');
    assert.equal(conflict.status, 409);
    assert.equal((await refund({ amount: 999_999 }, 'refund-key-0002')).status, 400);
    const rest = await refund({}, 'refund-key-0003');
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(rest.body.amount, 3900);
    assert.equal(rest.body.transaction.status, 'refunded');
    const stripeRefunds = stripe
      .requestLog()
      .filter((entry) => entry.method === 'POST' && entry.path === '/v1/refunds' && entry.status === 200);
    assert.equal(stripeRefunds.length, 2, 'exactly two refunds at Stripe');
    const outbox = await relay.database.knex('outbox').where({ transaction_id: transactionId }).orderBy('id');
    assert.ok(outbox.some((row) => row.dedupe_key.includes('partially_refunded')));
    assert.ok(outbox.some((row) => row.dedupe_key.includes(':refunded:')));
    assert.equal((await refund({}, 'short')).status, 400, 'an Idempotency-Key is required');
    const audited = await relay.database
      .knex('audit_events')
      .where({ tenant_id: merchant.tenantId, action: 'refund.created' });
    assert.equal(audited.length, 2);
  });
});
