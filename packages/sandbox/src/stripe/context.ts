import type { Params } from './form.js';
import type { Ledger, Scope, StripeObject, World } from './store.js';

/** Everything a route handler may use for one API request. */
export interface ApiContext {
  scope: Scope;
  ledger: Ledger;
  world: World;
  keyKind: 'secret' | 'publishable';
  params: Params;
  requestId: string;
  idempotencyKey: string | undefined;
  apiVersion: string;
  baseUrl: string;
  /** Unix seconds from the sandbox's clock. */
  now(): number;
  nowDate(): Date;
  /** Records an event in this scope and hands it to the webhook dispatcher. */
  emit(type: string, object: StripeObject, previous?: Record<string, unknown>): void;
}

/** A route handler: returns the JSON body of a 200, or throws a StripeFailure. */
export type Handler = (ctx: ApiContext, ids: string[]) => unknown;
