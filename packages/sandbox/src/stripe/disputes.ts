import type { Handler } from './context.js';
import { invalidParam, resourceMissing } from './errors.js';
import { readInteger, readString, rejectUnknownParams } from './form.js';
import { createId } from './ids.js';
import { findPaidCharge } from './refunds.js';
import type { StripeObject } from './store.js';

/** Sandbox-only `POST /v1/test_helpers/sandbox/disputes`: the cardholder disputes a paid charge. */
export const createDispute: Handler = (ctx) => {
  rejectUnknownParams(ctx.params, ['charge', 'payment_intent', 'amount', 'reason']);
  const charge = findPaidCharge(ctx);
  const amount = readInteger(ctx.params, 'amount') ?? charge.amount;
  if (amount < 1 || amount > charge.amount) {
    throw invalidParam('The dispute amount must be between 1 and the charge amount.', 'amount');
  }
  const created = ctx.now();
  const dispute: StripeObject = {
    id: createId('dp'),
    object: 'dispute',
    amount,
    balance_transactions: [],
    charge: charge.id,
    created,
    currency: charge.currency,
    evidence: {},
    evidence_details: {
      due_by: created + 7 * 24 * 3600,
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: ctx.scope.livemode,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: readString(ctx.params, 'reason') ?? 'fraudulent',
    status: 'needs_response',
  };
  ctx.ledger.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  ctx.emit('charge.dispute.created', dispute);
  return dispute;
};

export const retrieveDispute: Handler = (ctx, [id = '']) => {
  const dispute = ctx.ledger.disputes.get(id);
  if (!dispute) throw resourceMissing('dispute', id, 'dispute');
  return dispute;
};
