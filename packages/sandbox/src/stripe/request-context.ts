import type { ApiContext } from './context.js';
import { buildEvent } from './events.js';
import type { Params } from './form.js';
import { publishEvent, type SandboxState } from './sandbox-state.js';
import { snapshotOf } from './snapshot.js';
import type { Ledger, Scope, StripeObject, World } from './store.js';

/** What a request brings to its context besides its scope. */
export interface RequestFields {
  keyKind: ApiContext['keyKind'];
  params: Params;
  requestId: string;
  idempotencyKey: string | undefined;
  apiVersion: string;
}

/** The ApiContext of one request. Its methods live on the prototype: a request allocates one object. */
export class RequestContext implements ApiContext {
  readonly ledger: Ledger;
  readonly world: World;
  readonly baseUrl: string;
  readonly keyKind: ApiContext['keyKind'];
  readonly params: Params;
  readonly requestId: string;
  readonly idempotencyKey: string | undefined;
  readonly apiVersion: string;

  constructor(
    private readonly state: SandboxState,
    readonly scope: Scope,
    fields: RequestFields,
  ) {
    this.ledger = state.world.ledger(scope);
    this.world = state.world;
    this.baseUrl = state.baseUrl;
    this.keyKind = fields.keyKind;
    this.params = fields.params;
    this.requestId = fields.requestId;
    this.idempotencyKey = fields.idempotencyKey;
    this.apiVersion = fields.apiVersion;
  }

  now(): number {
    return Math.floor(this.state.clock() / 1000);
  }

  nowDate(): Date {
    return new Date(this.state.clock());
  }

  emit(type: string, object: StripeObject, previous?: Record<string, unknown>): void {
    const origin = {
      scope: this.scope,
      // Stripe creates events in the account's API version, never the triggering request's; each
      // webhook endpoint then receives them rendered in its own version (webhooks.ts).
      apiVersion: this.state.accountApiVersion,
      created: this.now(),
      requestId: this.requestId,
      idempotencyKey: this.idempotencyKey,
      pendingWebhooks: this.state.webhooks.hasTarget() ? 1 : 0,
    };
    void publishEvent(this.state, this.scope, buildEvent(origin, type, snapshotOf(object), previous));
  }
}
