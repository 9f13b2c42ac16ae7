import type pg from 'pg';
import {
  claimAttemptValues,
  PAYMENT_SQL,
  statusUpdateStatement,
} from '../../../relay/src/payments/payment-sql.js';
import { tenantTransactions } from './tenant-transaction.js';

/**
 * The database work the relay does for one successful payment of a new payer, statement for
 * statement (the very texts of relay/src/payments/payment-sql.ts and the tenant binding of
 * relay/src/db/sql-session.ts) and in the same two transactions (relay/src/payments/create-payment.ts):
 * the attempt claim with the contact lookup (with its customer id at the platform's own Stripe
 * account), then the contact upsert (with that customer id), the status change and its outbox
 * row. Tenant and form come from the relay's few-second cache, so they cost no query per payment. Like
 * the relay, each transaction runs as the app role, so row-level security is evaluated on both sides.
 */
export async function issueRelaySqlForOnePayment(
  pool: pg.Pool,
  ids: { tenantId: string; formId: string; index: number; id: string },
): Promise<void> {
  const tenant = { tenantId: ids.tenantId, livemode: false };
  const scope = tenantTransactions(pool, tenant);
  const email = `baseline${ids.index}@bench.example`;
  const attemptId = `baseline_${ids.id}`;
  const claimed = await scope(async (client) => {
    const inserted = await client.query(
      PAYMENT_SQL.claimAttempt,
      claimAttemptValues(tenant, {
        formId: ids.formId,
        attemptId,
        requestFingerprint: 'f',
        amount: 4900,
        currency: 'USD',
        productName: 'Workshop ticket',
        provider: 'stripe',
        hutk: null,
        pageUri: null,
      }),
    );
    await client.query(PAYMENT_SQL.findContactByEmail, [ids.tenantId, false, email, null]);
    return inserted.rows[0] as { id: string };
  });
  await scope(async (client) => {
    const contact = await client.query(PAYMENT_SQL.upsertContact, [
      ids.tenantId,
      false,
      email,
      'Bench',
      'Payer',
      'cus_x',
      null,
    ]);
    await client.query(PAYMENT_SQL.lockTransaction, [ids.tenantId, claimed.id]);
    const update = statusUpdateStatement(
      { tenantId: ids.tenantId, id: claimed.id },
      { status: 'succeeded', providerPaymentId: `pi_${ids.id}`, contactId: contact.rows[0].id },
    );
    await client.query(update.text, update.values);
    await client.query(PAYMENT_SQL.enqueueOutbox, [
      ids.tenantId,
      false,
      `hubspot.transaction:${claimed.id}:succeeded:0`,
      claimed.id,
      '{"reason":"succeeded:0"}',
    ]);
  });
}
