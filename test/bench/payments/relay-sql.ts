import type pg from 'pg';
import {
  claimAttemptValues,
  PAYMENT_SQL,
  statusUpdateStatement,
} from '../../../relay/src/payments/payment-sql.js';
import { tenantTransactions } from './tenant-transaction.js';
import { readCardTestingConfig } from '../../../relay/src/defence/card-testing-config.js';
import { admissionKeys, attemptBuckets } from '../../../relay/src/defence/card-testing-guard.js';
import { addValues, readValues, storedKey, THROTTLE_SQL } from '../../../relay/src/defence/throttle-store.js';
import { UNTHROTTLED_RELAY_ENV } from '../support/unthrottled-relay-env.js';

/**
 * The database work the relay does for one successful payment of a new payer, statement for
 * statement (the very texts of relay/src/payments/payment-sql.ts, relay/src/defence/throttle-store.ts
 * and the tenant binding of relay/src/db/sql-session.ts): the card-testing guard's two statements
 * (read the attempt's decline counters, count the attempt per IP, email and tenant), then the two
 * transactions of relay/src/payments/create-payment.ts: the attempt claim with the contact lookup
 * (with its customer id at the platform's own Stripe account), then the contact upsert (with that
 * customer id), the status change and its outbox row. Tenant and form come from the relay's
 * few-second cache, so they cost no query per payment. Like the relay, each transaction runs as the
 * app role, so row-level security is evaluated on both sides.
 */
export async function issueRelaySqlForOnePayment(
  pool: pg.Pool,
  ids: { tenantId: string; formId: string; index: number; id: string },
): Promise<void> {
  await admitPaymentAttempt(pool, ids);
  const claimedId = await claimPaymentAttempt(pool, ids);
  await recordPaymentOutcome(pool, ids, {
    transactionId: claimedId,
    customerId: 'cus_x',
    paymentIntentId: `pi_${ids.id}`,
  });
}

const BENCH_LIMITS = readCardTestingConfig(UNTHROTTLED_RELAY_ENV);

/**
 * The card-testing guard's work for a new attempt of a tenant without a CAPTCHA policy
 * (relay/src/defence/card-testing-guard.ts admitOnce), each statement on its own like the relay's:
 * one read of the attempt's, the IP's and the email's failure counters, one upsert of the attempt
 * counters per IP, email and tenant. Same keys as the relay's (all payers share one client IP and
 * one tenant, as in the relay's run), so both sides update the same hot rows.
 */
export async function admitPaymentAttempt(
  pool: pg.Pool,
  ids: { tenantId: string; index: number; id: string },
): Promise<void> {
  const attempt = {
    ip: '127.0.0.1',
    email: `baseline${ids.index}@bench.example.com`,
    attemptId: `baseline_${ids.id}`,
    tenantId: ids.tenantId,
    tenant: { challenge: 'off' as const },
  };
  await pool.query(THROTTLE_SQL.read, readValues(admissionKeys(attempt).read, Date.now()));
  const buckets = attemptBuckets(attempt, BENCH_LIMITS);
  await pool.query(
    THROTTLE_SQL.add,
    addValues(
      buckets.map(([counter, key]) => [counter, storedKey(counter, key)] as const),
      1,
      Date.now(),
    ),
  );
}

/**
 * The relay's first transaction: the attempt claim and the contact lookup. Returns the claimed
 * transaction's id. Split from the second so the latency bench can make the two Stripe calls in
 * between, where the relay makes them.
 */
export async function claimPaymentAttempt(
  pool: pg.Pool,
  ids: { tenantId: string; formId: string; index: number; id: string },
): Promise<string> {
  const tenant = { tenantId: ids.tenantId, livemode: false };
  const scope = tenantTransactions(pool, tenant);
  const email = `baseline${ids.index}@bench.example.com`;
  const attemptId = `baseline_${ids.id}`;
  return scope(async (client) => {
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
    return (inserted.rows[0] as { id: string }).id;
  });
}

/** The relay's second transaction: the contact upsert, the status change and its outbox row. */
export async function recordPaymentOutcome(
  pool: pg.Pool,
  ids: { tenantId: string; index: number },
  outcome: { transactionId: string; customerId: string; paymentIntentId: string },
): Promise<void> {
  const scope = tenantTransactions(pool, { tenantId: ids.tenantId, livemode: false });
  await scope(async (client) => {
    const contact = await client.query(PAYMENT_SQL.upsertContact, [
      ids.tenantId,
      false,
      `baseline${ids.index}@bench.example.com`,
      'Bench',
      'Payer',
      outcome.customerId,
      null,
    ]);
    await client.query(PAYMENT_SQL.lockTransaction, [ids.tenantId, outcome.transactionId]);
    const update = statusUpdateStatement(
      { tenantId: ids.tenantId, id: outcome.transactionId },
      { status: 'succeeded', providerPaymentId: outcome.paymentIntentId, contactId: contact.rows[0].id },
    );
    await client.query(update.text, update.values);
    await client.query(PAYMENT_SQL.enqueueOutbox, [
      ids.tenantId,
      false,
      `hubspot.transaction:${outcome.transactionId}:succeeded:0`,
      outcome.transactionId,
      '{"reason":"succeeded:0"}',
    ]);
  });
}
