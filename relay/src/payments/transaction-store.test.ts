import assert from 'node:assert/strict';
import type { Database } from '../db/open-database.js';
import { inTenantSqlTransaction } from '../db/sql-session.js';
import { seedTenantWithForm } from '../testing/payment-fixtures.js';
import { createTestDatabase } from '../testing/test-database.js';
import { upsertContact } from './contacts.js';
import { applyStatusChange, claimAttempt } from './transaction-store.js';

describe('transaction store: status changes and the HubSpot outbox', function () {
  this.timeout(60_000);
  let database: Database;
  let seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;

  before(async () => {
    database = await createTestDatabase();
    seeded = await seedTenantWithForm(database.knex);
  });
  after(() => database?.close());

  const scope = () => ({ tenantId: seeded.tenant.id, livemode: false });
  const outboxReasons = async (transactionId: string) =>
    (await database.knex('outbox').where({ transaction_id: transactionId }).orderBy('id')).map(
      (row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload).reason as string,
    );

  async function claim() {
    return inTenantSqlTransaction(database.knex, scope(), async (sql) => {
      const { transaction } = await claimAttempt(sql, scope(), {
        formId: seeded.form.id,
        attemptId: `att_${crypto.randomUUID().replaceAll('-', '')}`,
        requestFingerprint: 'f',
        amount: 4900,
        currency: 'USD',
        productName: 'Workshop ticket',
        provider: 'stripe',
        hutk: null,
        pageUri: null,
      });
      return transaction;
    });
  }

  it('moves only forward and queues HubSpot once per change', async () => {
    const transaction = await claim();
    const apply = (status: 'succeeded' | 'failed' | 'processing') =>
      inTenantSqlTransaction(database.knex, scope(), (sql) =>
        applyStatusChange(sql, transaction, { status }),
      );
    assert.equal((await apply('succeeded')).changed, true);
    assert.equal(
      (await apply('failed')).transaction.status,
      'succeeded',
      'a late failure cannot undo a payment',
    );
    assert.equal((await apply('processing')).transaction.status, 'succeeded');
    assert.equal((await apply('succeeded')).changed, false);
    assert.deepEqual(await outboxReasons(transaction.id), ['succeeded:0']);
  });

  it('marks the transaction pending when it queues a job, and only then', async () => {
    const transaction = await claim();
    const syncState = async () =>
      (await database.knex('transactions').where({ id: transaction.id }).first('hubspot_sync_state'))
        ?.hubspot_sync_state as string | null;
    const apply = (change: Parameters<typeof applyStatusChange>[2]) =>
      inTenantSqlTransaction(database.knex, scope(), (sql) => applyStatusChange(sql, transaction, change));
    assert.equal(await syncState(), null, 'nothing to push while processing');
    await apply({ status: 'succeeded' });
    assert.equal(await syncState(), 'pending');
    // The worker delivered it; a replay of the same change queues nothing and leaves it synced.
    await database
      .knex('transactions')
      .where({ id: transaction.id })
      .update({ hubspot_sync_state: 'synced' });
    await apply({ status: 'succeeded', amountRefunded: 0 });
    assert.equal(await syncState(), 'synced', 'an existing job does not mark it pending again');
    await apply({ status: 'partially_refunded', amountRefunded: 1000 });
    assert.equal(await syncState(), 'pending', 'a new job does');
    assert.deepEqual(await outboxReasons(transaction.id), ['succeeded:0', 'partially_refunded:1000']);
  });

  it('pushes again when the contact is linked after a webhook already reported the payment', async () => {
    const transaction = await claim();
    // The webhook wins the race: paid, but no contact linked yet.
    await inTenantSqlTransaction(database.knex, scope(), (sql) =>
      applyStatusChange(sql, transaction, { status: 'succeeded', providerPaymentId: 'pi_race' }),
    );
    // Then the API response records the payer.
    const contact = await inTenantSqlTransaction(database.knex, scope(), async (sql) => {
      const row = await upsertContact(sql, scope(), {
        email: 'race@example.com',
        firstName: 'Race',
        lastName: 'Winner',
        stripeCustomerId: 'cus_race',
      });
      await applyStatusChange(sql, transaction, { status: 'succeeded', contactId: row.id });
      return row;
    });
    assert.deepEqual(await outboxReasons(transaction.id), ['succeeded:0', `contact:${contact.id}`]);
  });
});
