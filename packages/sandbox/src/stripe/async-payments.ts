import { completePayment, failPayment } from './confirm-payment.js';
import { StripeFailure } from './errors.js';
import { createRequestId } from './ids.js';
import { RequestContext } from './request-context.js';
import type { SandboxState } from './sandbox-state.js';
import type { Scope } from './store.js';

const ASYNC_DECLINE = {
  kind: 'decline',
  code: 'card_declined',
  declineCode: 'generic_decline',
  message: 'Your card was declined.',
} as const;

/**
 * Settles every payment an async test card left `processing`: succeeded (payment_intent.succeeded)
 * or failed (payment_intent.payment_failed, back to requires_payment_method with
 * last_payment_error), as a bank debit settles at Stripe days later. Returns how many settled.
 */
export function settleAsyncPayments(state: SandboxState): number {
  let settled = 0;
  for (const [name, ledger] of state.world.allLedgers()) {
    for (const [intentId, result] of [...ledger.asyncPayments]) {
      ledger.asyncPayments.delete(intentId);
      const intent = ledger.paymentIntents.get(intentId);
      const paymentMethod = intent?.payment_method
        ? ledger.paymentMethods.get(intent.payment_method)
        : undefined;
      if (!intent || intent.status !== 'processing' || !paymentMethod) continue;
      const ctx = new RequestContext(state, scopeNamed(name, intent.livemode === true), {
        keyKind: 'secret',
        params: {},
        requestId: createRequestId(),
        idempotencyKey: undefined,
        apiVersion: state.accountApiVersion,
      });
      intent.processing = null;
      if (result === 'succeed') completePayment(ctx, intent, paymentMethod);
      else {
        try {
          failPayment(ctx, intent, paymentMethod, ASYNC_DECLINE);
        } catch (error) {
          if (!(error instanceof StripeFailure)) throw error;
        }
      }
      settled += 1;
    }
    for (const refundId of [...ledger.failingRefunds]) {
      ledger.failingRefunds.delete(refundId);
      if (failRefund(state, name, refundId)) settled += 1;
    }
  }
  return settled;
}

/**
 * A refund of Stripe's async-refund-failure card fails: status `failed`, the money back on the
 * charge, and `refund.failed`, `refund.updated` and `charge.refund.updated` as Stripe sends them.
 */
function failRefund(state: SandboxState, ledgerName: string, refundId: string): boolean {
  const ledger = state.world.ledgerNamed(ledgerName);
  const refund = ledger.refunds.get(refundId);
  const charge = refund ? ledger.charges.get(String(refund.charge)) : undefined;
  if (!refund || !charge || refund.status !== 'succeeded') return false;
  const ctx = new RequestContext(state, scopeNamed(ledgerName, charge.livemode === true), {
    keyKind: 'secret',
    params: {},
    requestId: createRequestId(),
    idempotencyKey: undefined,
    apiVersion: state.accountApiVersion,
  });
  Object.assign(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
  charge.amount_refunded -= Number(refund.amount);
  charge.refunded = false;
  ctx.emit('refund.failed', refund);
  ctx.emit('refund.updated', refund, { status: 'succeeded' });
  ctx.emit('charge.refund.updated', refund, { status: 'succeeded' });
  return true;
}

/** The scope a ledger name (`describeScope`) stands for. */
function scopeNamed(name: string, livemode: boolean): Scope {
  const account = /acct_[A-Za-z0-9]+/.exec(name)?.[0];
  return account === undefined ? { livemode } : { livemode, account };
}
