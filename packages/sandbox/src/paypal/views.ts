import { randomInt } from 'node:crypto';
import { formatMoney } from './money.js';
import type { CaptureRecord, OrderRecord, PayPalState, RefundRecord } from './state.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

// PayPal account ids (payer and merchant) avoid look-alike characters: `^[2-9A-HJ-NP-Z]{13}$`.
const ACCOUNT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function randomText(alphabet: string, length: number): string {
  let id = '';
  for (let i = 0; i < length; i += 1) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** An id shaped like PayPal's order, capture and refund ids: 17 upper-case letters and digits. */
export function createPayPalId(length = 17): string {
  return randomText(ID_ALPHABET, length);
}

/** A PayPal account id (payer id, merchant id): 13 characters. */
export function createAccountId(): string {
  return randomText(ACCOUNT_ALPHABET, 13);
}

export const ACCOUNT_ID = /^[2-9A-HJ-NP-Z]{13}$/;

const link = (href: string, rel: string, method: string) => ({ href, rel, method });

export function orderLinks(state: PayPalState, order: OrderRecord) {
  const self = `${state.baseUrl}/v2/checkout/orders/${order.id}`;
  if (order.status === 'COMPLETED' || order.status === 'VOIDED') return [link(self, 'self', 'GET')];
  return [
    link(self, 'self', 'GET'),
    ...(order.status === 'CREATED'
      ? [link(`${state.baseUrl}/checkoutnow?token=${order.id}`, 'approve', 'GET')]
      : []),
    link(self, 'update', 'PATCH'),
    link(`${self}/capture`, 'capture', 'POST'),
  ];
}

export function captureView(state: PayPalState, capture: CaptureRecord) {
  const self = `${state.baseUrl}/v2/payments/captures/${capture.id}`;
  return {
    id: capture.id,
    status: capture.status,
    ...(capture.status === 'PENDING' ? { status_details: { reason: 'ECHECK' } } : {}),
    amount: capture.amount,
    final_capture: true,
    seller_protection: {
      status: 'ELIGIBLE',
      dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'],
    },
    ...(capture.customId ? { custom_id: capture.customId } : {}),
    ...(capture.invoiceId ? { invoice_id: capture.invoiceId } : {}),
    links: [
      link(self, 'self', 'GET'),
      ...(capture.status === 'COMPLETED' || capture.status === 'PARTIALLY_REFUNDED'
        ? [link(`${self}/refund`, 'refund', 'POST')]
        : []),
      link(`${state.baseUrl}/v2/checkout/orders/${capture.orderId}`, 'up', 'GET'),
    ],
    create_time: capture.createTime,
    update_time: capture.updateTime,
  };
}

/** A capture as webhooks and the Payments API show it: with its order id and what was refunded. */
export function capturePaymentsView(state: PayPalState, capture: CaptureRecord) {
  return {
    ...captureView(state, capture),
    payee: capture.payee,
    supplementary_data: { related_ids: { order_id: capture.orderId } },
    ...(capture.refundedMinor > 0
      ? {
          seller_receivable_breakdown: {
            gross_amount: capture.amount,
            total_refunded_amount: formatMoney(capture.amount.currency_code, capture.refundedMinor),
          },
        }
      : {}),
  };
}

export function refundView(state: PayPalState, refund: RefundRecord) {
  const capture = state.captures.get(refund.captureId);
  return {
    id: refund.id,
    status: 'COMPLETED',
    amount: refund.amount,
    ...(capture?.customId ? { custom_id: capture.customId } : {}),
    // What PayPal adds up for the merchant: every refund of the capture so far, this one included.
    ...(capture
      ? {
          seller_payable_breakdown: {
            gross_amount: refund.amount,
            net_amount: refund.amount,
            total_refunded_amount: formatMoney(capture.amount.currency_code, refund.refundedSoFar),
          },
        }
      : {}),
    ...(refund.noteToPayer ? { note_to_payer: refund.noteToPayer } : {}),
    ...(refund.invoiceId ? { invoice_id: refund.invoiceId } : {}),
    create_time: refund.createTime,
    update_time: refund.createTime,
    links: [
      link(`${state.baseUrl}/v2/payments/refunds/${refund.id}`, 'self', 'GET'),
      link(`${state.baseUrl}/v2/payments/captures/${refund.captureId}`, 'up', 'GET'),
    ],
  };
}

function payerViews(order: OrderRecord) {
  const payer = order.payer;
  if (!payer || order.status === 'CREATED') return {};
  const name = { given_name: payer.givenName, surname: payer.surname };
  return {
    payment_source: {
      paypal: { email_address: payer.email, account_id: payer.payerId, account_status: 'VERIFIED', name },
    },
    payer: { name, email_address: payer.email, payer_id: payer.payerId },
  };
}

/** The full representation (`Prefer: return=representation` and GET). */
export function orderView(state: PayPalState, order: OrderRecord) {
  const captures = order.captureIds.map((id) => state.captures.get(id)).filter((c) => c !== undefined);
  return {
    id: order.id,
    intent: 'CAPTURE',
    status: order.status,
    ...payerViews(order),
    purchase_units: [
      {
        ...order.unit,
        ...(captures.length > 0
          ? { payments: { captures: captures.map((c) => captureView(state, c)) } }
          : {}),
      },
    ],
    create_time: order.createTime,
    update_time: order.updateTime,
    links: orderLinks(state, order),
  };
}

/** PayPal's default answer (`Prefer: return=minimal`). */
export function minimalOrderView(state: PayPalState, order: OrderRecord) {
  const full = orderView(state, order);
  if (order.captureIds.length === 0) return { id: full.id, status: full.status, links: full.links };
  const unit = full.purchase_units[0] as { reference_id: string; payments?: unknown };
  return {
    id: full.id,
    status: full.status,
    ...payerViews(order),
    purchase_units: [{ reference_id: unit.reference_id, payments: unit.payments }],
    links: full.links,
  };
}
