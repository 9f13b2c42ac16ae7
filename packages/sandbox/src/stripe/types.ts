import type { PaymentIntent, Customer, StripeObject } from './store.js';
import type { WebhookAttempt, WebhookTarget } from './webhooks.js';

export type { PaymentIntent, Customer, StripeObject, WebhookAttempt, WebhookTarget };

export interface StripeSandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. The CLI uses 12111. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Milliseconds since the epoch; stamps `created` fields and webhook signatures. Default Date.now. */
  clock?: () => number;
  /**
   * The account's default API version, which events are created in; default the version the
   * installed `stripe` package pins. A webhook endpoint with its own `apiVersion` gets them in that one.
   */
  accountApiVersion?: string;
  /** Where to deliver signed webhook events; none by default. */
  webhook?: WebhookTarget | null;
  /** Waits between delivery retries of a failed webhook; default [100, 500, 2000] (4 attempts). */
  webhookRetryDelaysMs?: number[];
  /** Directory served at `/js/*`; default `packages/sandbox/browser/`. */
  browserDir?: string;
  /**
   * A JSON file that keeps the sandbox's objects (customers, payment methods, PaymentIntents,
   * charges, refunds, events, Connect accounts, idempotency records) across restarts: read at start,
   * written a moment after each change and on close. In memory only by default.
   */
  stateFile?: string;
}

/** `down`: every API call answers 500 api_error; `reset`: connections are dropped; `slow`: calls wait. */
export type OutageMode = 'none' | 'down' | 'slow' | 'reset';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  idempotencyKey?: string;
  account?: string;
  livemode?: boolean;
  status: number;
}

export interface SandboxKeys {
  secretTest: string;
  publishableTest: string;
  secretLive: string;
  publishableLive: string;
}

/** A running fake of the Stripe API, and the controls tests use on it. */
export interface StripeSandbox {
  url: string;
  host: string;
  port: number;
  /** Keys the sandbox accepts. Any `sk_test_`/`sk_live_`/`pk_test_`/`pk_live_` key works; these are handy. */
  keys: SandboxKeys;
  /** Signed delivery (`Stripe-Signature` v1) of every later event to `target.url`; null stops it. */
  setWebhook(target: WebhookTarget | null): void;
  setOutage(mode: OutageMode, slowMs?: number): void;
  /** Requests per second beyond which calls get 429 `rate_limit`; null lifts the limit. */
  setRateLimit(perSecond: number | null): void;
  /**
   * Moves the sandbox's clock forward by `ms` (never back): idempotency keys older than 24 hours are
   * then pruned as at Stripe, and `created` stamps and webhook signatures follow.
   */
  advanceClock(ms: number): void;
  /**
   * Settles the payments the sandbox-only async cards (4000 0000 0000 7700 succeeds, …7718 fails)
   * left `processing`, and fails the refunds of Stripe's async-refund-failure card 4000 0000 0000
   * 5126, emitting their events; returns how many settled.
   */
  settleAsyncPayments(): number;
  /** The sandbox's clock now, in ms since the epoch. */
  now(): number;
  /** PaymentIntents of the platform or of one connected account, test and live (or one mode). */
  paymentIntents(account?: string, livemode?: boolean): PaymentIntent[];
  customers(account?: string, livemode?: boolean): Customer[];
  events(account?: string, livemode?: boolean): StripeObject[];
  requestLog(): RequestLogEntry[];
  webhookAttempts(): WebhookAttempt[];
  /** Creates an event of `type` around `object` (its `livemode` picks the mode) and awaits its delivery. */
  emitEvent(type: string, object: unknown, account?: string): Promise<void>;
  /** Waits until every webhook delivery under way has been delivered or given up. */
  settleWebhooks(): Promise<void>;
  /** Everything the sandbox holds, for tests that scan it (e.g. for card numbers). */
  dumpState(): unknown;
  close(): Promise<void>;
}
