import type { Handler } from './context.js';
import { invalidParam, invalidRequest, resourceMissing } from './errors.js';
import {
  mergeMetadata,
  readBoolean,
  readInteger,
  readObject,
  readString,
  rejectUnknownParams,
} from './form.js';
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

/**
 * `POST /v1/disputes/:id`: evidence, metadata and `submit`. As in Stripe's test mode, submitting
 * `evidence[uncategorized_text]` of `winning_evidence` or `losing_evidence` closes the dispute as
 * won or lost (https://docs.stripe.com/testing#disputes): `charge.dispute.updated`, then
 * `charge.dispute.closed` (and `charge.dispute.funds_reinstated` when won).
 */
export const updateDispute: Handler = (ctx, [id = '']) => {
  const dispute = ctx.ledger.disputes.get(id);
  if (!dispute) throw resourceMissing('dispute', id, 'dispute');
  rejectUnknownParams(ctx.params, ['evidence', 'metadata', 'submit', 'expand']);
  if (CLOSED.has(String(dispute.status))) {
    throw invalidRequest(`This dispute is already closed (status: ${String(dispute.status)}).`, {
      saved: false,
    });
  }
  const evidence = readObject(ctx.params, 'evidence') ?? {};
  dispute.evidence = { ...(dispute.evidence as object), ...evidence };
  dispute.metadata = mergeMetadata(dispute.metadata as Record<string, string>, ctx.params);
  const submit = readBoolean(ctx.params, 'submit') ?? true;
  const details = dispute.evidence_details as Record<string, unknown>;
  if (submit) {
    dispute.status = 'under_review';
    details.has_evidence = true;
    details.submission_count = Number(details.submission_count) + 1;
  }
  ctx.emit('charge.dispute.updated', dispute);
  const text = (dispute.evidence as { uncategorized_text?: unknown }).uncategorized_text;
  if (submit && (text === 'winning_evidence' || text === 'losing_evidence')) {
    dispute.status = text === 'winning_evidence' ? 'won' : 'lost';
    const charge = ctx.ledger.charges.get(String(dispute.charge));
    if (charge && dispute.status === 'won') charge.disputed = false;
    ctx.emit('charge.dispute.closed', dispute);
    if (dispute.status === 'won') ctx.emit('charge.dispute.funds_reinstated', dispute);
  }
  return dispute;
};

const CLOSED = new Set(['won', 'lost', 'warning_closed', 'prevented']);
