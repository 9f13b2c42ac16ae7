import type { IdempotencyStore } from './idempotency.js';
import type { Scope, StripeObject, World } from './store.js';
import type { OutageMode, RequestLogEntry } from './types.js';
import type { WebhookDispatcher } from './webhooks.js';

/** The mutable state one sandbox server shares between its requests and its control API. */
export interface SandboxState {
  world: World;
  idempotency: IdempotencyStore;
  webhooks: WebhookDispatcher;
  clock: () => number;
  /** The account's default API version: what events are created with (endpoints may render another). */
  accountApiVersion: string;
  outage: { mode: OutageMode; slowMs: number };
  rateLimit: { perSecond: number | null; recent: number[] };
  log: RequestLogEntry[];
  baseUrl: string;
  browserDir: string | undefined;
}

/** Records an event in its scope's ledger and starts delivering it. */
export function publishEvent(state: SandboxState, scope: Scope, event: StripeObject): Promise<void> {
  state.world.ledger(scope).events.push(event);
  return state.webhooks.deliver(event);
}
