import { createHmac } from 'node:crypto';
import type { StripeObject } from './store.js';

export interface WebhookTarget {
  url: string;
  secret: string;
  /**
   * The endpoint's API version: events reach it with this `api_version` (Stripe renders each event
   * in the endpoint's version, or the account's default when the endpoint has none). The sandbox
   * knows one object shape, so only the envelope's `api_version` changes.
   */
  apiVersion?: string;
}

export interface WebhookAttempt {
  eventId: string;
  type: string;
  url: string;
  /** HTTP status of the receiver's answer, or 0 when the connection failed. */
  status: number;
  attempt: number;
}

/** The `Stripe-Signature` header: `t=<unix seconds>,v1=<HMAC-SHA256 of "t.payload">`. */
export function signPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/**
 * Delivers events to one endpoint, signed, in the background. Failed deliveries are retried after
 * each delay in `retryDelaysMs` and then dropped, so a dead receiver never blocks or crashes the sandbox.
 */
export class WebhookDispatcher {
  private target: WebhookTarget | null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private closed = false;
  readonly attempts: WebhookAttempt[] = [];

  constructor(
    target: WebhookTarget | null,
    private readonly retryDelaysMs: readonly number[],
    private readonly nowSeconds: () => number,
  ) {
    this.target = target;
  }

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  hasTarget(): boolean {
    return this.target !== null;
  }

  /** Starts delivering `event`; the promise settles once it was delivered or given up. */
  deliver(event: StripeObject): Promise<void> {
    const target = this.target;
    if (target === null || this.closed) return Promise.resolve();
    const delivery = this.run(event, target).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  /** Waits until every delivery under way has finished. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { timer, wake } of this.timers) {
      clearTimeout(timer);
      wake();
    }
    await this.settle();
  }

  private async run(event: StripeObject, target: WebhookTarget): Promise<void> {
    for (let attempt = 1; attempt <= this.retryDelaysMs.length + 1 && !this.closed; attempt += 1) {
      const status = await this.post(event, target);
      this.attempts.push({ eventId: event.id, type: String(event.type), url: target.url, status, attempt });
      if (this.attempts.length > 10_000) this.attempts.shift();
      if (status >= 200 && status < 300) {
        event.pending_webhooks = Math.max(0, (event.pending_webhooks as number) - 1);
        return;
      }
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay !== undefined) await this.sleep(delay);
    }
  }

  private async post(event: StripeObject, target: WebhookTarget): Promise<number> {
    // Stripe sends the event pretty-printed; the signature covers these exact bytes.
    const rendered = target.apiVersion === undefined ? event : { ...event, api_version: target.apiVersion };
    const payload = JSON.stringify(rendered, null, 2);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signPayload(payload, target.secret, this.nowSeconds()),
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.timers.add(entry);
    });
  }
}
