import { ISSUES, invalidRequest, notFound, unprocessable } from './errors.js';
import { publishEvent } from './events.js';
import { readMoney } from './money.js';
import { isoTime, type CaptureRecord, type OrderRecord, type PayPalState } from './state.js';
import type { BuyerApproval } from './types.js';
import {
  ACCOUNT_ID,
  capturePaymentsView,
  createAccountId,
  createPayPalId,
  minimalOrderView,
  orderView,
} from './views.js';

export interface Call {
  clientId: string;
  body: Record<string, unknown>;
  /** `Prefer: return=representation` asks for the full resource. */
  representation: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

const missing = (field: string) =>
  invalidRequest({
    issue: 'MISSING_REQUIRED_PARAMETER',
    description: ISSUES.create.MISSING_REQUIRED_PARAMETER,
    field,
    location: 'body',
  });

const invalidValue = (field: string, value: string) =>
  invalidRequest({
    issue: 'INVALID_PARAMETER_VALUE',
    description: ISSUES.create.INVALID_PARAMETER_VALUE,
    field,
    value,
    location: 'body',
  });

function optionalText(unit: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = unit[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw invalidValue(`/purchase_units/@reference_id=='default'/${field}`, String(value));
  }
  return value;
}

export function createOrder(state: PayPalState, call: Call): Answer {
  const { body } = call;
  if (body.intent === undefined) throw missing('/intent');
  // The relay only captures; an AUTHORIZE order would need the authorizations API this fake lacks.
  if (body.intent !== 'CAPTURE') throw invalidValue('/intent', String(body.intent));
  const units = body.purchase_units;
  if (!Array.isArray(units) || units.length === 0) throw missing('/purchase_units');
  if (units.length > 1) throw invalidValue('/purchase_units', 'multiple purchase units');
  const unit = units[0] as Record<string, unknown>;
  const amount = readMoney(unit.amount, "/purchase_units/@reference_id=='default'/amount");
  const payee = unit.payee as { merchant_id?: unknown } | undefined;
  if (payee !== undefined && (typeof payee.merchant_id !== 'string' || !ACCOUNT_ID.test(payee.merchant_id))) {
    throw unprocessable({
      issue: 'PAYEE_ACCOUNT_INVALID',
      description: ISSUES.create.PAYEE_ACCOUNT_INVALID,
      field: "/purchase_units/@reference_id=='default'/payee/merchant_id",
      location: 'body',
    });
  }
  const now = isoTime(state);
  const order: OrderRecord = {
    id: createPayPalId(),
    clientId: call.clientId,
    status: 'CREATED',
    unit: {
      reference_id: optionalText(unit, 'reference_id', 256) ?? 'default',
      amount: { currency_code: amount.currency, value: (unit.amount as { value: string }).value },
      payee: { merchant_id: (payee?.merchant_id as string | undefined) ?? merchantIdOf(call.clientId) },
      ...definedEntries({
        description: optionalText(unit, 'description', 127),
        custom_id: optionalText(unit, 'custom_id', 127),
        invoice_id: optionalText(unit, 'invoice_id', 127),
      }),
    },
    createTime: now,
    updateTime: now,
    instrument: 'ok',
    captureIds: [],
  };
  state.orders.set(order.id, order);
  return {
    status: 201,
    body: call.representation ? orderView(state, order) : minimalOrderView(state, order),
  };
}

function definedEntries<T extends Record<string, string | undefined>>(
  values: T,
): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, string>
  >;
}

/** The REST app's own merchant: a stable 13-character account id per client id. */
export function merchantIdOf(clientId: string): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let hash = 2166136261;
  let id = '';
  for (let round = 0; round < 13; round += 1) {
    for (const char of `${clientId}:${round}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    id += alphabet[hash % alphabet.length];
  }
  return id;
}

export function findOrder(state: PayPalState, clientId: string, id: string): OrderRecord {
  const order = state.orders.get(id);
  if (!order || order.clientId !== clientId) throw notFound();
  return order;
}

export function getOrder(state: PayPalState, call: Call, id: string): Answer {
  return { status: 200, body: orderView(state, findOrder(state, call.clientId, id)) };
}

export function captureOrder(state: PayPalState, call: Call, id: string): Answer {
  const order = findOrder(state, call.clientId, id);
  const field = (issue: keyof typeof ISSUES.capture) =>
    unprocessable({ issue, description: ISSUES.capture[issue] });
  if (order.status === 'COMPLETED') throw field('ORDER_ALREADY_CAPTURED');
  if (order.status !== 'APPROVED') throw field('ORDER_NOT_APPROVED');
  if (order.instrument === 'declined') throw field('INSTRUMENT_DECLINED');
  const now = isoTime(state);
  const amount = readMoney(order.unit.amount, '/amount');
  const capture: CaptureRecord = {
    id: createPayPalId(),
    clientId: order.clientId,
    orderId: order.id,
    status: order.instrument === 'pending' ? 'PENDING' : 'COMPLETED',
    amount: order.unit.amount,
    minor: amount.minor,
    refundedMinor: 0,
    ...(order.unit.custom_id ? { customId: order.unit.custom_id } : {}),
    ...(order.unit.invoice_id ? { invoiceId: order.unit.invoice_id } : {}),
    payee: order.unit.payee,
    createTime: now,
    updateTime: now,
  };
  state.captures.set(capture.id, capture);
  order.captureIds.push(capture.id);
  order.status = 'COMPLETED';
  order.updateTime = now;
  void publishEvent(state, `PAYMENT.CAPTURE.${capture.status}`, capturePaymentsView(state, capture));
  return {
    status: 201,
    body: call.representation ? orderView(state, order) : minimalOrderView(state, order),
  };
}

let payerCount = 0;

/** What PayPal's approval window does when the buyer logs in and agrees. */
export function approveOrder(state: PayPalState, id: string, approval: BuyerApproval = {}): void {
  const order = state.orders.get(id);
  if (!order) throw notFound();
  if (order.status !== 'CREATED' && order.status !== 'APPROVED') {
    throw unprocessable({
      issue: 'ORDER_ALREADY_CAPTURED',
      description: ISSUES.capture.ORDER_ALREADY_CAPTURED,
    });
  }
  payerCount += 1;
  order.payer = {
    payerId: createAccountId(),
    email: approval.email ?? `buyer${payerCount}@example.com`,
    givenName: approval.givenName ?? 'Pat',
    surname: approval.surname ?? 'Buyer',
  };
  order.instrument = approval.instrument ?? 'ok';
  order.status = 'APPROVED';
  order.updateTime = isoTime(state);
  void publishEvent(state, 'CHECKOUT.ORDER.APPROVED', orderView(state, order));
}
