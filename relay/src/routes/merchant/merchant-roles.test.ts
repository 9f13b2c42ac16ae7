import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { inviteUser } from '../../merchants/users.js';
import {
  GOOD_PASSWORD,
  logInMerchant,
  seedTransactions,
  signUpMerchant,
  type MerchantClient,
} from '../../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';

describe('merchant roles: members read, owners also refund and manage keys', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let member: MerchantClient;
  let transactionId: string;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    owner = await signUpMerchant(relay, `owner-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const memberEmail = `member-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await inviteUser(
      relay.database.knex,
      { tenantId: owner.tenantId, email: memberEmail, password: GOOD_PASSWORD, role: 'member' },
      { type: 'cli', id: null, ip: null, userAgent: null },
    );
    const login = await logInMerchant(relay.url, { email: memberEmail, password: GOOD_PASSWORD });
    assert.equal(login.response.status, 200, JSON.stringify(login.response.body));
    member = login.client!;
    transactionId = (await seedTransactions(relay.database.knex, owner.tenantId, { count: 1 }))
      .transactionIds[0] as string;
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('lets a member read transactions and contacts', async () => {
    assert.equal((await member.get('/v1/transactions')).status, 200);
    assert.equal((await member.get(`/v1/transactions/${transactionId}`)).status, 200);
    assert.equal((await member.get('/v1/contacts')).status, 200);
  });

  it('refuses a member API keys, refunds and the audit log, with a code that says why', async () => {
    const refused = [
      [await member.get('/v1/merchant/api-keys'), 'forbidden'],
      [
        await member.post('/v1/merchant/api-keys', { name: 'escalate', scopes: ['refunds:write'] }),
        'forbidden',
      ],
      [await member.post('/v1/merchant/api-keys/00000000-0000-4000-8000-000000000000/revoke'), 'forbidden'],
      [await member.get('/v1/audit-events'), 'forbidden'],
      [await member.post(`/v1/transactions/${transactionId}/refunds`, { amount: 100 }), 'insufficient_scope'],
    ] as const;
    for (const [response, code] of refused) {
      assert.equal(response.status, 403, JSON.stringify(response.body));
      assert.equal(response.body.error.code, code);
    }
    const keys = await relay.database.knex('merchant_api_keys').where({ tenant_id: owner.tenantId });
    assert.equal(keys.length, 0, 'no key was made');
  });

  it('still lets the owner list keys and read the audit log', async () => {
    assert.equal((await owner.get('/v1/merchant/api-keys')).status, 200);
    assert.equal((await owner.get('/v1/audit-events')).status, 200);
  });
});
