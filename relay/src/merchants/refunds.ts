import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { CreateRefundRequest, MerchantRefund } from '@onepagepay/protocol';
import { Transaction } from '../db/models/transaction.js';
import { sqlSessionOf } from '../db/sql-session.js';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { refundAtProvider, type RefundDeps } from '../payments/providers/refund-at-provider.js';
import { applyStatusChange } from '../payments/transaction-store.js';
import { recordAuditEvent, type Actor } from './audit.js';
import { findScopedTransaction, presentTransaction } from './transaction-listing.js';

interface RefundRow {
  id: string;
  livemode: boolean;
  transaction_id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  provider_refund_id: string | null;
  request_fingerprint: string;
  created_at: Date;
}

const REFUNDABLE = new Set(['succeeded', 'partially_refunded']);

/**
 * Refunds a transaction through its provider. The Idempotency-Key makes it safe to retry: the same
 * key and body return the first refund, a different body under the same key is a 409, and the
 * provider call itself carries an idempotency key derived from our refund id.
 */
export async function refundTransaction(
  deps: RefundDeps,
  scope: TenantScope,
  transactionId: string,
  request: CreateRefundRequest,
  idempotencyKey: string,
  actor: Actor,
): Promise<MerchantRefund> {
  if (!/^[\x21-\x7e]{8,255}$/.test(idempotencyKey)) {
    throw new RelayError('invalid_request', 'Send an Idempotency-Key header of 8-255 printable characters.');
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([transactionId, request.amount ?? null, request.reason ?? null]))
    .digest('hex');
  const started = await inTenantModeTransaction(deps.knex, scope, async (trx) => {
    const transaction = await findScopedTransaction(trx, scope, transactionId);
    if (!transaction) throw notFound();
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`refund:${scope.tenantId}:${transactionId}`]);
    const existing = (await trx('merchant_refunds')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, idempotency_key: idempotencyKey })
      .first()) as RefundRow | undefined;
    if (existing) {
      if (existing.request_fingerprint !== fingerprint) {
        throw new RelayError(
          'conflict',
          'This Idempotency-Key was used for a different refund. Use a new key.',
        );
      }
      return { refund: existing, replay: true };
    }
    if (!transaction.provider_payment_id) {
      throw new RelayError('invalid_request', 'This transaction has no payment at its provider to refund.');
    }
    if (!REFUNDABLE.has(transaction.status)) {
      throw new RelayError('invalid_request', `A ${transaction.status} transaction cannot be refunded.`);
    }
    const pending = await trx('merchant_refunds')
      .where({ tenant_id: scope.tenantId, transaction_id: transactionId, status: 'pending' })
      .sum({ total: 'amount' })
      .first();
    const remaining = transaction.amount - transaction.amount_refunded - Number(pending?.total ?? 0);
    const amount = request.amount ?? remaining;
    if (amount <= 0 || amount > remaining) {
      throw new RelayError(
        'invalid_request',
        `Refund at most ${remaining} (minor units of ${transaction.currency}).`,
      );
    }
    const [refund] = (await trx('merchant_refunds')
      .insert({
        tenant_id: scope.tenantId,
        livemode: scope.livemode,
        transaction_id: transactionId,
        idempotency_key: idempotencyKey,
        request_fingerprint: fingerprint,
        amount,
        currency: transaction.currency,
        status: 'pending',
        actor: `${actor.type}:${actor.id ?? '-'}`,
      })
      .returning('*')) as RefundRow[];
    return {
      refund: refund!,
      replay: false,
      provider: transaction.provider as string,
      providerPaymentId: transaction.provider_payment_id as string,
    };
  });
  if (started.replay || started.refund.status !== 'pending')
    return presentRefund(deps.knex, scope, started.refund);

  let providerRefund: { id: string; status: string | null };
  try {
    providerRefund = await refundAtProvider(deps, started.provider!, {
      tenantId: scope.tenantId,
      livemode: scope.livemode,
      transactionId,
      refundId: started.refund.id,
      providerPaymentId: started.providerPaymentId!,
      amount: started.refund.amount,
      currency: started.refund.currency,
      ...(request.reason ? { reason: request.reason } : {}),
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      await finishRefund(
        deps.knex,
        scope,
        started.refund,
        { status: 'failed', providerRefundId: null },
        actor,
      );
      if (isMissingPaymentIntent(error)) {
        throw new RelayError(
          'provider_payment_missing',
          `Stripe no longer has this payment (${started.providerPaymentId!}), so it cannot be refunded here. ` +
            "Check that the tenant charges on the Stripe account the payment was made on, or refund it in that account's dashboard.",
          { cause: error },
        );
      }
      throw new RelayError('refund_failed', (error as Error).message || 'The provider refused the refund.', {
        cause: error,
      });
    }
    // No answer: the refund stays pending; retrying with the same Idempotency-Key is safe.
    throw new RelayError(
      'provider_unavailable',
      'The payment provider is not answering. Retry with the same Idempotency-Key.',
      { cause: error },
    );
  }
  const finished = await finishRefund(
    deps.knex,
    scope,
    started.refund,
    {
      status: providerRefund.status === 'failed' ? 'failed' : 'succeeded',
      providerRefundId: providerRefund.id,
    },
    actor,
  );
  return presentRefund(deps.knex, scope, finished);
}

/** Stripe does not know the PaymentIntent: deleted with its account, made on another account, or reset. */
function isMissingPaymentIntent(error: unknown): boolean {
  const { code, param } = error as { code?: string; param?: string };
  return code === 'resource_missing' && param === 'payment_intent';
}

async function finishRefund(
  knex: Knex,
  scope: TenantScope,
  refund: RefundRow,
  outcome: { status: 'succeeded' | 'failed'; providerRefundId: string | null },
  actor: Actor,
): Promise<RefundRow> {
  return inTenantModeTransaction(knex, scope, async (trx) => {
    const [row] = (await trx('merchant_refunds')
      .where({ tenant_id: scope.tenantId, id: refund.id, status: 'pending' })
      .update({
        status: outcome.status,
        provider_refund_id: outcome.providerRefundId,
        updated_at: trx.fn.now(),
      })
      .returning('*')) as RefundRow[];
    if (!row)
      return (await trx('merchant_refunds')
        .where({ tenant_id: scope.tenantId, id: refund.id })
        .first()) as RefundRow;
    if (outcome.status === 'succeeded') {
      const transaction = await Transaction.query(trx)
        .where({ tenant_id: scope.tenantId, id: refund.transaction_id })
        .forUpdate()
        .first();
      if (transaction) {
        const refunded = Math.min(transaction.amount, transaction.amountRefunded + refund.amount);
        await applyStatusChange(sqlSessionOf(trx), transaction, {
          status: refunded >= transaction.amount ? 'refunded' : 'partially_refunded',
          amountRefunded: Math.max(refunded, transaction.amountRefunded),
        });
      }
    }
    await recordAuditEvent(trx, scope, actor, {
      action: 'refund.created',
      outcome: outcome.status === 'succeeded' ? 'success' : 'failure',
      target: refund.transaction_id,
      details: { refundId: refund.id, amount: refund.amount, currency: refund.currency },
    });
    return row;
  });
}

async function presentRefund(knex: Knex, scope: TenantScope, refund: RefundRow): Promise<MerchantRefund> {
  const transaction = await inTenantModeTransaction(knex, scope, (trx) =>
    findScopedTransaction(trx, scope, refund.transaction_id),
  );
  if (!transaction) throw notFound();
  return {
    id: refund.id,
    object: 'refund',
    livemode: refund.livemode,
    transactionId: refund.transaction_id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    providerRefundId: refund.provider_refund_id,
    transaction: presentTransaction(transaction),
    createdAt: new Date(refund.created_at).toISOString(),
  };
}
