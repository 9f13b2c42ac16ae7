/** Where the fake delivers webhook events, and the webhook id PayPal would have given it. */
export interface PayPalWebhookTarget {
  url: string;
  /** The id a merchant reads in the PayPal developer dashboard; verification checks it. */
  webhookId: string;
}

export interface PayPalSandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Milliseconds since the epoch; stamps times and token expiry. Default Date.now. */
  clock?: () => number;
  /** Seconds an access token lives; PayPal answers about 32,400 (nine hours). */
  tokenTtlSeconds?: number;
  webhook?: PayPalWebhookTarget | null;
  /** Waits between delivery retries of a failed webhook; default [100, 500, 2000]. */
  webhookRetryDelaysMs?: number[];
  /** Called with every API answer the fake sends (tests validate them against PayPal's spec). */
  onResponse?: (entry: PayPalResponseRecord) => void;
}

export interface PayPalResponseRecord {
  method: string;
  /** The path as requested, without the query string. */
  path: string;
  /** The path template it matched (`/v2/checkout/orders/{id}`), or null when none did. */
  route: string | null;
  status: number;
  body: unknown;
}

/** How the buyer answers PayPal's approval window. */
export interface BuyerApproval {
  /** `declined`: approval succeeds, but the funding instrument is refused at capture; `pending`: the capture stays PENDING (an eCheck) until `settleCapture`. */
  instrument?: 'ok' | 'declined' | 'pending';
  email?: string;
  givenName?: string;
  surname?: string;
}

export interface PayPalRequestLogEntry {
  method: string;
  path: string;
  requestId?: string;
  status: number;
}

export interface PayPalCredentials {
  clientId: string;
  clientSecret: string;
}

export interface PayPalWebhookAttempt {
  eventId: string;
  eventType: string;
  url: string;
  status: number;
  attempt: number;
}

/** A running fake of PayPal's REST API (OAuth2, Orders v2, captures, refunds, webhooks). */
export interface PayPalSandbox {
  url: string;
  port: number;
  /** Credentials the fake accepts (any `client_id` whose secret is `<client_id>-secret` also works). */
  credentials: PayPalCredentials;
  setWebhook(target: PayPalWebhookTarget | null): void;
  /** The buyer approves the order in PayPal's window, as the JS SDK's popup would. */
  approveOrder(orderId: string, approval?: BuyerApproval): void;
  /** A PENDING capture clears (`COMPLETED`) or is denied (`DECLINED`); its webhook is awaited. */
  settleCapture(captureId: string, outcome: 'COMPLETED' | 'DECLINED'): Promise<void>;
  /** Every order the fake holds, as GET /v2/checkout/orders/{id} would show it. */
  orders(): Record<string, unknown>[];
  /** Every capture, with its refunds' total, as GET /v2/payments/captures/{id} would show it. */
  captures(): Record<string, unknown>[];
  /** Sends a signed event of `eventType` around `resource` to the webhook target and awaits it. */
  emitEvent(eventType: string, resource: Record<string, unknown>): Promise<void>;
  /** Makes every later access token expire now (as if `tokenTtlSeconds` had passed). */
  expireTokens(): void;
  requestLog(): PayPalRequestLogEntry[];
  webhookAttempts(): PayPalWebhookAttempt[];
  settleWebhooks(): Promise<void>;
  close(): Promise<void>;
}
