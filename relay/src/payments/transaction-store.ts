import type { Knex } from 'knex';
import type { PaymentResult, PaymentStatus } from '@onepagepay/protocol';
import { Transaction } from '../db/models/transaction.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { canMoveTo } from './transaction-status.js';

/** How long one relay process may work on an attempt before another may take it over. */
export const CLAIM_MS = 60_000;

export interface NewTransaction {
  formId: string;
  attemptId: string;
  requestFingerprint: string;
  amount: number;
  currency: string;
  productName: string;
  provider: 'stripe' | 'paypal';
  hutk: string | null;
  pageUri: string | null;
}

/**
 * Records the attempt before any money moves, or finds the earlier record of the same attempt.
 * `claimed` is true when this caller now owns the attempt and may call the provider.
 */
export async function claimAttempt(
  trx: Knex.Transaction,
  scope: TenantScope,
  attempt: NewTransaction,
): Promise<{ transaction: Transaction; claimed: boolean }> {
  const inserted = await Transaction.query(trx)
    .insert({
      ...attempt,
      tenantId: scope.tenantId,
      livemode: scope.livemode,
      status: 'processing',
      claimedUntil: trx.raw(`now() + interval '${CLAIM_MS} milliseconds'`) as unknown as Date,
    })
    .onConflict(['tenant_id', 'attempt_id'])
    .ignore()
    .returning('*');
  const row = Array.isArray(inserted) ? inserted[0] : inserted;
  if (row?.id) return { transaction: row, claimed: true };

  const existing = await Transaction.query(trx)
    .where({ tenant_id: scope.tenantId, attempt_id: attempt.attemptId })
    .first();
  if (!existing) throw new Error('attempt row vanished between insert and select');
  // Another payment's attempt (a reused id) or a settled one is answered from the record, never taken over.
  const sameRequest = existing.requestFingerprint === attempt.requestFingerprint;
  if (!sameRequest || existing.livemode !== scope.livemode || existing.status !== 'processing') {
    return { transaction: existing, claimed: false };
  }
  // A processing attempt whose claim lapsed (its process died or the provider call failed) is taken over.
  const takenOver = await Transaction.query(trx)
    .patch({ claimedUntil: trx.raw(`now() + interval '${CLAIM_MS} milliseconds'`) as unknown as Date })
    .where({ tenant_id: scope.tenantId, id: existing.id, status: 'processing' })
    .where((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', trx.fn.now()))
    .returning('*');
  const claimedRow = Array.isArray(takenOver) ? takenOver[0] : undefined;
  return claimedRow ? { transaction: claimedRow, claimed: true } : { transaction: existing, claimed: false };
}

export interface StatusChange {
  status: PaymentStatus;
  providerPaymentId?: string | null;
  contactId?: string | null;
  failureCode?: string | null;
  declineCode?: string | null;
  failureMessage?: string | null;
  amountRefunded?: number;
}

/**
 * Moves a transaction to a new status if that is a forward move, releasing any claim. Returns the
 * row as it now is, and whether the payment became paid in this call (so HubSpot is told once).
 */
export async function applyStatusChange(
  trx: Knex.Transaction,
  transaction: Transaction,
  change: StatusChange,
): Promise<{ transaction: Transaction; changed: boolean }> {
  const current = await Transaction.query(trx)
    .where({ tenant_id: transaction.tenantId, id: transaction.id })
    .forUpdate()
    .first();
  if (!current) throw new Error(`transaction ${transaction.id} is missing`);
  if (!canMoveTo(current.status, change.status)) return { transaction: current, changed: false };
  const patch: Partial<Transaction> = { status: change.status, claimedUntil: null, updatedAt: new Date() };
  if (change.providerPaymentId) patch.providerPaymentId = change.providerPaymentId;
  if (change.contactId) patch.contactId = change.contactId;
  if (change.failureCode !== undefined) patch.failureCode = change.failureCode;
  if (change.declineCode !== undefined) patch.declineCode = change.declineCode;
  if (change.failureMessage !== undefined) patch.failureMessage = change.failureMessage;
  if (change.amountRefunded !== undefined) patch.amountRefunded = change.amountRefunded;
  const updated = await Transaction.query(trx)
    .patch(patch)
    .where({ tenant_id: current.tenantId, id: current.id })
    .returning('*');
  const row = (Array.isArray(updated) ? updated[0] : updated) as Transaction;
  if (current.status !== row.status || change.amountRefunded !== undefined) {
    await enqueueHubSpotSync(trx, row, `${row.status}:${row.amountRefunded}`);
  } else if (row.contactId && current.contactId !== row.contactId) {
    // A webhook can report the payment before the API response links its contact: push again so
    // HubSpot's deal gets its contact (the push is an upsert, so nothing is duplicated).
    await enqueueHubSpotSync(trx, row, `contact:${row.contactId}`);
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
 */
export async function enqueueHubSpotSync(trx: Knex.Transaction, transaction: Transaction, reason: string) {
  if (!['succeeded', 'refunded', 'partially_refunded', 'disputed'].includes(transaction.status)) return;
  await trx('outbox')
    .insert({
      tenant_id: transaction.tenantId,
      livemode: transaction.livemode,
      topic: 'hubspot.transaction',
      dedupe_key: `hubspot.transaction:${transaction.id}:${reason}`,
      transaction_id: transaction.id,
      payload: JSON.stringify({ reason }),
    })
    .onConflict(['tenant_id', 'dedupe_key'])
    .ignore();
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
