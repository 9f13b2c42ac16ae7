import { ISSUES, notFound, unprocessable } from './errors.js';
import { publishEvent } from './events.js';
import { formatMoney, readMoney } from './money.js';
import type { Answer, Call } from './orders.js';
import { isoTime, type CaptureRecord, type PayPalState, type RefundRecord } from './state.js';
import { capturePaymentsView, createPayPalId, refundView } from './views.js';

function findCapture(state: PayPalState, clientId: string, id: string): CaptureRecord {
  const capture = state.captures.get(id);
  if (!capture || capture.clientId !== clientId) throw notFound();
  return capture;
}

export function getCapture(state: PayPalState, call: Call, id: string): Answer {
  return { status: 200, body: capturePaymentsView(state, findCapture(state, call.clientId, id)) };
}

const refusal = (issue: keyof typeof ISSUES.refund) =>
  unprocessable({ issue, description: ISSUES.refund[issue] });

/** `POST /v2/payments/captures/{id}/refund`: the whole rest of the capture when no amount is given. */
export function refundCapture(state: PayPalState, call: Call, id: string): Answer {
  const capture = findCapture(state, call.clientId, id);
  if (capture.status === 'REFUNDED') throw refusal('CAPTURE_FULLY_REFUNDED');
  if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') throw notFound();
  const left = capture.minor - capture.refundedMinor;
  let minor = left;
  if (call.body.amount !== undefined) {
    const amount = readMoney(call.body.amount, '/amount', ISSUES.refund);
    if (amount.currency !== capture.amount.currency_code) throw refusal('REFUND_CAPTURE_CURRENCY_MISMATCH');
    if (amount.minor > left) throw refusal('REFUND_AMOUNT_EXCEEDED');
    minor = amount.minor;
  }
  const now = isoTime(state);
  const refund: RefundRecord = {
    id: createPayPalId(),
    captureId: capture.id,
    amount: formatMoney(capture.amount.currency_code, minor),
    refundedSoFar: capture.refundedMinor + minor,
    ...(typeof call.body.note_to_payer === 'string' ? { noteToPayer: call.body.note_to_payer } : {}),
    ...(typeof call.body.invoice_id === 'string' ? { invoiceId: call.body.invoice_id } : {}),
    createTime: now,
  };
  state.refunds.set(refund.id, refund);
  capture.refundedMinor += minor;
  capture.status = capture.refundedMinor === capture.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  capture.updateTime = now;
  const view = refundView(state, refund);
  void publishEvent(state, 'PAYMENT.CAPTURE.REFUNDED', view);
  const minimal = { id: view.id, status: view.status, links: view.links };
  return { status: 201, body: call.representation ? view : minimal };
}

/** A PENDING capture (an eCheck) clears or is denied, as PayPal reports days later. */
export function settleCapture(
  state: PayPalState,
  id: string,
  outcome: 'COMPLETED' | 'DECLINED',
): Promise<void> {
  const capture = state.captures.get(id);
  if (!capture || capture.status !== 'PENDING') throw notFound();
  capture.status = outcome;
  capture.updateTime = isoTime(state);
  const eventType = outcome === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED';
  return publishEvent(state, eventType, capturePaymentsView(state, capture));
}
