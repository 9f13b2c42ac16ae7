import type { Money } from './money.js';
import type { PayPalRequestLogEntry, PayPalResponseRecord, PayPalWebhookTarget } from './types.js';
import type { PayPalWebhookDispatcher } from './webhooks.js';

export interface PayerRecord {
  payerId: string;
  email: string;
  givenName: string;
  surname: string;
}

export interface OrderRecord {
  id: string;
  clientId: string;
  status: 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  unit: {
    reference_id: string;
    amount: Money;
    payee: { merchant_id: string; email_address?: string };
    description?: string;
    custom_id?: string;
    invoice_id?: string;
  };
  createTime: string;
  updateTime: string;
  payer?: PayerRecord;
  instrument: 'ok' | 'declined' | 'pending';
  captureIds: string[];
}

export interface CaptureRecord {
  id: string;
  clientId: string;
  orderId: string;
  status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Money;
  minor: number;
  refundedMinor: number;
  customId?: string;
  invoiceId?: string;
  payee: { merchant_id: string; email_address?: string };
  createTime: string;
  updateTime: string;
}

export interface RefundRecord {
  id: string;
  captureId: string;
  amount: Money;
  /** The capture's refunded total once this refund was made. */
  refundedSoFar: number;
  noteToPayer?: string;
  invoiceId?: string;
  createTime: string;
}

export interface SavedAnswer {
  status: number;
  body: unknown;
}

/** Everything one PayPal fake holds; requests and the test controls share it. */
export interface PayPalState {
  baseUrl: string;
  clock: () => number;
  tokenTtlSeconds: number;
  /** Access token → its client and expiry (ms). */
  tokens: Map<string, { clientId: string; expiresAt: number }>;
  orders: Map<string, OrderRecord>;
  captures: Map<string, CaptureRecord>;
  refunds: Map<string, RefundRecord>;
  /** `clientId method path PayPal-Request-Id` → the first answer, replayed with 200. */
  replies: Map<string, SavedAnswer>;
  webhook: PayPalWebhookTarget | null;
  webhooks: PayPalWebhookDispatcher;
  log: PayPalRequestLogEntry[];
  onResponse?: (entry: PayPalResponseRecord) => void;
}

export function isoTime(state: PayPalState): string {
  // PayPal writes seconds, without milliseconds: 2026-12-06T21:55:15Z.
  return new Date(state.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
