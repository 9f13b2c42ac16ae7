import { findCharge } from './charges.js';
import type { ApiContext, Handler } from './context.js';
import { formatAmount } from './currencies.js';
import { invalidParam, invalidRequest, resourceMissing } from './errors.js';
import { mergeMetadata, readInteger, readString, rejectUnknownParams } from './form.js';
import { createId } from './ids.js';
import { listPage } from './lists.js';
import { findIntent } from './payment-intent-views.js';
import type { Charge, StripeObject } from './store.js';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** The succeeded charge a refund or dispute targets, from `charge` or `payment_intent`. */
export function findPaidCharge(ctx: ApiContext): Charge {
  const chargeId = readString(ctx.params, 'charge');
  const intentId = readString(ctx.params, 'payment_intent');
  if (chargeId === undefined && intentId === undefined) {
    throw invalidParam(
      'One of the following params should be provided for this request: payment_intent or charge.',
      'charge',
    );
  }
  if (chargeId !== undefined) {
    const charge = findCharge(ctx, chargeId, 'charge');
    if (charge.paid) return charge;
    throw invalidRequest(`Charge ${charge.id} has not been paid, so it cannot be refunded or disputed.`, {
      param: 'charge',
    });
  }
  const intent = findIntent(ctx, intentId ?? '', 'payment_intent');
  const charge = intent.latest_charge === null ? undefined : ctx.ledger.charges.get(intent.latest_charge);
  if (!charge || !charge.paid) {
    throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
      param: 'payment_intent',
    });
  }
  return charge;
}

export const createRefund: Handler = (ctx) => {
  rejectUnknownParams(ctx.params, [
    'payment_intent',
    'charge',
    'amount',
    'reason',
    'metadata',
    'expand',
    'instructions_email',
  ]);
  const charge = findPaidCharge(ctx);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = readInteger(ctx.params, 'amount') ?? remaining;
  if (amount < 1) throw invalidParam('This value must be greater than or equal to 1.', 'amount');
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: 'amount' },
    );
  }
  const reason = readString(ctx.params, 'reason');
  if (reason !== undefined && !REASONS.includes(reason)) {
    throw invalidParam(`Invalid reason: must be one of ${REASONS.join(', ')}`, 'reason');
  }
  const refund: StripeObject = {
    id: createId('re'),
    object: 'refund',
    amount,
    balance_transaction: createId('txn'),
    charge: charge.id,
    created: ctx.now(),
    currency: charge.currency,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    customer: charge.customer ?? null,
    metadata: mergeMetadata({}, ctx.params),
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method ?? null,
    reason: reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  ctx.ledger.refunds.set(refund.id, refund);
  const outcome = ctx.ledger.cardOutcomes.get(String(charge.payment_method));
  if (outcome?.kind === 'succeed' && outcome.refundFails) ctx.ledger.failingRefunds.add(refund.id);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.emit('refund.created', refund);
  ctx.emit('charge.refunded', charge, previous);
  return refund;
};

export const retrieveRefund: Handler = (ctx, [id = '']) => {
  const refund = ctx.ledger.refunds.get(id);
  if (!refund) throw resourceMissing('refund', id);
  return refund;
};

export const listRefunds: Handler = (ctx) => {
  const intent = readString(ctx.params, 'payment_intent');
  const charge = readString(ctx.params, 'charge');
  const refunds = [...ctx.ledger.refunds.values()].filter(
    (refund) =>
      (intent === undefined || refund.payment_intent === intent) &&
      (charge === undefined || refund.charge === charge),
  );
  return listPage(ctx.params, refunds, '/v1/refunds');
};
