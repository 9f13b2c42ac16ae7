import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, TEST_ENCRYPTION_KEYS, type TestRelay } from '../../relay/src/testing/test-relay.js';
import {
  createApiKeyFor,
  enrolTotp,
  logInMerchant,
  GOOD_PASSWORD,
  seedTransactions,
  sendJson,
  signUpMerchant,
  type JsonAnswer,
  type MerchantClient,
} from '../../relay/src/testing/merchant-fixtures.js';

interface World {
  tenantId: string;
  livemode: boolean;
  key: string;
  keyId: string;
  session: MerchantClient;
  transactionIds: string[];
  contactId: string;
  contactEmail: string;
  formId: string;
  transactionCursor: string;
  contactCursor: string;
  auditCursor: string;
}

/**
 * Two tenants, each in test and live mode, each acting with an API key and a session: every
 * merchant route is driven with the ids, cursors, filters and keys of the three other worlds, and
 * every answer must be a 404 or an empty list.
 */
describe('tenant and mode isolation across every merchant route', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  const worlds: World[] = [];

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, { env: { ONEPAGEPAY_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS } });
    for (const name of ['a', 'b']) {
      const email = `isolation-${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      const testSession = await signUpMerchant(relay, email);
      const testKey = await createApiKeyFor(testSession, [
        'transactions:read',
        'contacts:read',
        'refunds:write',
      ]);
      const liveSession = await signUpSessionFor(testSession);
      const { secret, recoveryCodes } = await enrolTotp(liveSession);
      const testAgain = (
        await logInMerchant(relay.url, { email, password: GOOD_PASSWORD, recoveryCode: recoveryCodes[0] })
      ).client!;
      const switched = await liveSession.post('/v1/merchant/mode', { livemode: true });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      const liveKey = await createApiKeyFor(
        liveSession,
        ['transactions:read', 'contacts:read', 'refunds:write'],
        GOOD_PASSWORD,
        secret,
      );
      for (const [livemode, session, key] of [
        [false, testAgain, testKey],
        [true, liveSession, liveKey],
      ] as const) {
        const seeded = await seedTransactions(relay.database.knex, testSession.tenantId, {
          count: 3,
          livemode,
        });
        const auth = { authorization: `Bearer ${key.secret}` };
        const page = await sendJson(relay.url, 'GET', '/v1/transactions?limit=1', { headers: auth });
        const contacts = await sendJson(relay.url, 'GET', '/v1/contacts?limit=1', { headers: auth });
        await sendJson(relay.url, 'GET', '/v1/transactions.csv', { headers: auth });
        const audit = await session.get('/v1/audit-events?limit=1');
        assert.ok(
          page.body.nextCursor && contacts.body.data.length === 1 && audit.body.nextCursor,
          'each world has a next page',
        );
        worlds.push({
          tenantId: testSession.tenantId,
          livemode,
          key: key.secret,
          keyId: key.id,
          session,
          transactionIds: seeded.transactionIds,
          contactId: seeded.contact.id,
          contactEmail: seeded.contact.email,
          formId: seeded.form.id,
          transactionCursor: page.body.nextCursor,
          contactCursor: contacts.body.nextCursor ?? page.body.nextCursor,
          auditCursor: audit.body.nextCursor,
        });
      }
    }

    async function signUpSessionFor(client: MerchantClient): Promise<MerchantClient> {
      const user = await relay.database.knex('merchant_users').where({ tenant_id: client.tenantId }).first();
      return (await logInMerchant(relay.url, { email: user.email, password: GOOD_PASSWORD })).client!;
    }
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('answers 404 or an empty list to every foreign id, cursor, filter and key: 0 leaks', async () => {
    let probes = 0;
    const leaks: string[] = [];
    const expectNone = (label: string, answer: JsonAnswer, kind: '404' | 'empty' | 'csv-empty') => {
      probes += 1;
      const ok =
        kind === '404'
          ? answer.status === 404
          : kind === 'empty'
            ? answer.status === 200 && Array.isArray(answer.body.data) && answer.body.data.length === 0
            : answer.status === 200 && String(answer.body).trim().split('\n').length === 1;
      if (!ok) leaks.push(`${label}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    };
    for (const actor of worlds) {
      const callers: Array<[string, (method: string, path: string, body?: unknown) => Promise<JsonAnswer>]> =
        [
          [
            'key',
            (method, path, body) =>
              sendJson(relay.url, method, path, {
                ...(body !== undefined ? { body } : {}),
                headers: {
                  authorization: `Bearer ${actor.key}`,
                  'idempotency-key': `iso-${crypto.randomUUID()}`,
                },
              }),
          ],
          [
            'session',
            (method, path, body) =>
              method === 'GET'
                ? actor.session.get(path)
                : actor.session.post(path, body, { 'idempotency-key': `iso-${crypto.randomUUID()}` }),
          ],
        ];
      for (const [kind, call] of callers) {
        for (const other of worlds) {
          if (other === actor) continue;
          const label = `${kind} of ${actor.tenantId.slice(0, 8)}/${actor.livemode ? 'live' : 'test'} -> ${other.tenantId.slice(0, 8)}/${other.livemode ? 'live' : 'test'}`;
          for (const id of other.transactionIds) {
            expectNone(`${label} GET transaction`, await call('GET', `/v1/transactions/${id}`), '404');
            expectNone(
              `${label} refund`,
              await call('POST', `/v1/transactions/${id}/refunds`, { amount: 100 }),
              '404',
            );
          }
          expectNone(`${label} GET contact`, await call('GET', `/v1/contacts/${other.contactId}`), '404');
          const cursor = encodeURIComponent(other.transactionCursor);
          expectNone(
            `${label} transactions cursor`,
            await call('GET', `/v1/transactions?cursor=${cursor}`),
            'empty',
          );
          expectNone(
            `${label} contacts cursor`,
            await call('GET', `/v1/contacts?cursor=${encodeURIComponent(other.contactCursor)}`),
            'empty',
          );
          expectNone(
            `${label} form filter`,
            await call('GET', `/v1/transactions?form=${other.formId}`),
            'empty',
          );
          expectNone(
            `${label} email filter`,
            await call('GET', `/v1/transactions?contact_email=${encodeURIComponent(other.contactEmail)}`),
            'empty',
          );
          expectNone(
            `${label} contacts email`,
            await call('GET', `/v1/contacts?email=${encodeURIComponent(other.contactEmail)}`),
            'empty',
          );
          expectNone(
            `${label} csv form filter`,
            await call('GET', `/v1/transactions.csv?form=${other.formId}`),
            'csv-empty',
          );
          if (kind === 'session') {
            expectNone(
              `${label} revoke key`,
              await call('POST', `/v1/merchant/api-keys/${other.keyId}/revoke`),
              '404',
            );
            if (other.tenantId !== actor.tenantId) {
              expectNone(
                `${label} audit cursor`,
                await call('GET', `/v1/audit-events?cursor=${encodeURIComponent(other.auditCursor)}`),
                'empty',
              );
            }
          }
        }
        // The unfiltered listings hold only the actor's own rows.
        const own = new Set(actor.transactionIds);
        const listed = await call('GET', '/v1/transactions?limit=100');
        probes += 1;
        if (!listed.body.data.every((row: { id: string }) => own.has(row.id)))
          leaks.push(`${kind} unfiltered listing`);
        const csv = String((await call('GET', '/v1/transactions.csv')).body)
          .trim()
          .split('\n')
          .slice(1);
        probes += 1;
        if (!csv.every((line) => own.has(line.split(',')[0]!))) leaks.push(`${kind} unfiltered csv`);
      }
      // A key with its mode prefix swapped is no key at all.
      const swapped = actor.key.startsWith('opp_test_')
        ? actor.key.replace('opp_test_', 'opp_live_')
        : actor.key.replace('opp_live_', 'opp_test_');
      const answer = await sendJson(relay.url, 'GET', '/v1/transactions', {
        headers: { authorization: `Bearer ${swapped}` },
      });
      probes += 1;
      if (answer.status !== 401) leaks.push(`swapped-mode key: ${answer.status}`);
    }
    assert.deepEqual(leaks, [], `${leaks.length} of ${probes} probes leaked`);
    assert.ok(probes > 150, `${probes} probes`);
    const refunds = stripe.requestLog().filter((entry) => entry.path === '/v1/refunds');
    assert.equal(refunds.length, 0, 'no foreign refund reached Stripe');
  });
});
