import type { Knex } from 'knex';
import type { PaymentResult, PaymentStatus, ProviderName } from '@onepagepay/protocol';
import { Transaction } from '../db/models/transaction.js';
import type { SqlSession } from '../db/sql-session.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { claimAttemptValues, PAYMENT_SQL, statusUpdateStatement } from './payment-sql.js';
import { canMoveTo } from './transaction-status.js';

export interface NewTransaction {
  formId: string;
  attemptId: string;
  requestFingerprint: string;
  amount: number;
  currency: string;
  productName: string;
  provider: ProviderName;
  hutk: string | null;
  pageUri: string | null;
}

/**
 * Records the attempt before any money moves, or finds the earlier record of the same attempt.
 * `claimed` is true when this caller now owns the attempt and may call the provider.
 */
export async function claimAttempt(
  sql: SqlSession,
  scope: TenantScope,
  attempt: NewTransaction,
): Promise<{ transaction: Transaction; claimed: boolean }> {
  const [inserted] = await sql.rows(PAYMENT_SQL.claimAttempt, claimAttemptValues(scope, attempt));
  if (inserted) return { transaction: Transaction.fromDatabaseJson(inserted), claimed: true };

  const [found] = await sql.rows(PAYMENT_SQL.findByAttempt, [scope.tenantId, attempt.attemptId]);
  if (!found) throw new Error('attempt row vanished between insert and select');
  const existing = Transaction.fromDatabaseJson(found);
  // Another payment's attempt (a reused id) or a settled one is answered from the record, never taken over.
  const sameRequest = existing.requestFingerprint === attempt.requestFingerprint;
  if (!sameRequest || existing.livemode !== scope.livemode || existing.status !== 'processing') {
    return { transaction: existing, claimed: false };
  }
  // A processing attempt whose claim lapsed (its process died or the provider call failed) is taken over.
  const [takenOver] = await sql.rows(PAYMENT_SQL.takeOverLapsedClaim, [scope.tenantId, existing.id]);
  return takenOver
    ? { transaction: Transaction.fromDatabaseJson(takenOver), claimed: true }
    : { transaction: existing, claimed: false };
}

export interface StatusChange {
  status: PaymentStatus;
  providerPaymentId?: string | null;
  contactId?: string | null;
  failureCode?: string | null;
  declineCode?: string | null;
  failureMessage?: string | null;
  amountRefunded?: number;
  /** A dispute closed in the payer's bank's favour of the merchant: the only way out of `disputed` back to paid. */
  disputeWon?: boolean;
  /** A refund failed at the provider: the only way from (partially) refunded back towards paid. */
  refundFailed?: boolean;
}

/**
 * Moves a transaction to a new status if that is a forward move, releasing any claim. Returns the
 * row as it now is, and whether the payment became paid in this call (so HubSpot is told once).
 */
export async function applyStatusChange(
  sql: SqlSession,
  transaction: Transaction,
  change: StatusChange,
): Promise<{ transaction: Transaction; changed: boolean }> {
  const [locked] = await sql.rows(PAYMENT_SQL.lockTransaction, [transaction.tenantId, transaction.id]);
  if (!locked) throw new Error(`transaction ${transaction.id} is missing`);
  const current = Transaction.fromDatabaseJson(locked);
  const reinstated =
    (change.disputeWon === true && current.status === 'disputed') ||
    (change.refundFailed === true && ['refunded', 'partially_refunded'].includes(current.status));
  if (!reinstated && !canMoveTo(current.status, change.status))
    return { transaction: current, changed: false };
  const update = statusUpdateStatement(current, change);
  const [updated] = await sql.rows(update.text, update.values);
  const row = Transaction.fromDatabaseJson(updated as Record<string, unknown>);
  if (current.status !== row.status || change.amountRefunded !== undefined) {
    // A won dispute returns to a status HubSpot had before: its own key, or the outbox would drop it.
    const suffix = !reinstated ? '' : change.disputeWon ? ':dispute-won' : ':refund-failed';
    const reason = `${row.status}:${row.amountRefunded}${suffix}`;
    await enqueueHubSpotSync(sql, row, reason);
  } else if (row.contactId && current.contactId !== row.contactId) {
    // A webhook can report the payment before the API response links its contact: push again so
    // HubSpot's deal gets its contact (the push is an upsert, so nothing is duplicated).
    await enqueueHubSpotSync(sql, row, `contact:${row.contactId}`);
  }
  return { transaction: row, changed: current.status !== row.status };
}

/** Lets another request take over an attempt whose provider call failed without an answer. */
export async function releaseClaim(knex: Knex, transaction: Transaction): Promise<void> {
  await inTenantTransaction(knex, transaction, (trx) =>
    Transaction.query(trx)
      .patch({ claimedUntil: null })
      .where({ tenant_id: transaction.tenantId, id: transaction.id, status: 'processing' }),
  );
}

/** Reads one transaction of the tenant, in its own tenant-bound transaction. */
export async function findTransaction(
  knex: Knex,
  scope: { tenantId: string },
  where: { id?: string; attempt_id?: string },
): Promise<Transaction | undefined> {
  return inTenantTransaction(knex, { tenantId: scope.tenantId, livemode: false }, (trx) =>
    Transaction.query(trx)
      .where({ tenant_id: scope.tenantId, ...where })
      .first(),
  );
}

/**
 * The outbox row is written in the same database transaction as the status change, so HubSpot
 * hears of every paid, refunded or disputed transaction exactly once, even if the relay dies next.
 * The same statement marks the transaction `pending` when the job is new (backfills and replays
 * mark theirs in requeue.ts; migration 008 says why no trigger does it).
 */
export async function enqueueHubSpotSync(sql: SqlSession, transaction: Transaction, reason: string) {
  if (!['succeeded', 'refunded', 'partially_refunded', 'disputed'].includes(transaction.status)) return;
  await sql.rows(PAYMENT_SQL.enqueueOutbox, [
    transaction.tenantId,
    transaction.livemode,
    `hubspot.transaction:${transaction.id}:${reason}`,
    transaction.id,
    JSON.stringify({ reason }),
  ]);
}

export function paymentResultOf(transaction: Transaction, clientSecret?: string): PaymentResult {
  return {
    transactionId: transaction.id,
    status: transaction.status,
    amount: transaction.amount,
    currency: transaction.currency,
    ...(clientSecret ? { clientSecret } : {}),
    ...(transaction.status === 'failed'
      ? {
          failure: {
            code: transaction.failureCode ?? 'payment_failed',
            ...(transaction.declineCode ? { declineCode: transaction.declineCode } : {}),
            message: transaction.failureMessage ?? 'The payment failed.',
          },
        }
      : {}),
  };
}
