import type pg from 'pg';
import {
  claimAttemptValues,
  PAYMENT_SQL,
  statusUpdateStatement,
} from '../../../relay/src/payments/payment-sql.js';
import { tenantTransactions } from './tenant-transaction.js';
import { PAYPAL_SQL } from '../../../relay/src/payments/providers/paypal/paypal-sql.js';

/**
 * The database work of one PayPal payment, statement for statement as the relay sends it
 * (create-paypal-order.ts, capture-paypal-order.ts, record-capture.ts): the claim, the order id,
 * then at capture the tenant and the attempt's transaction, and the contact, status change and
 * outbox row in one transaction. Each transaction runs as the app role, as the relay's do.
 */
export async function issueRelaySqlForOnePayPalPayment(
  pool: pg.Pool,
  ids: { tenantId: string; formId: string; index: number; id: string },
): Promise<void> {
  const tenant = { tenantId: ids.tenantId, livemode: false };
  const scope = tenantTransactions(pool, tenant);
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
        provider: 'paypal',
        hutk: null,
        pageUri: null,
      }),
    );
    return inserted.rows[0] as { id: string };
  });
  await scope((client) => client.query(PAYPAL_SQL.recordOrder, [ids.tenantId, claimed.id, `ORDER${ids.id}`]));
  // Capture: the tenant (no tenant binding needed) and the attempt's transaction.
  await pool.query('select * from tenants where id = $1', [ids.tenantId]);
  await scope((client) =>
    client.query('select * from transactions where tenant_id = $1 and attempt_id = $2 limit 1', [
      ids.tenantId,
      attemptId,
    ]),
  );
  await scope(async (client) => {
    const contact = await client.query(PAYPAL_SQL.upsertContact, [
      ids.tenantId,
      false,
      `baseline${ids.index}@bench.example.com`,
      'Bench',
      'Payer',
    ]);
    await client.query(PAYMENT_SQL.lockTransaction, [ids.tenantId, claimed.id]);
    const update = statusUpdateStatement(
      { tenantId: ids.tenantId, id: claimed.id },
      { status: 'succeeded', providerPaymentId: `CAPTURE${ids.id}`, contactId: contact.rows[0].id },
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
