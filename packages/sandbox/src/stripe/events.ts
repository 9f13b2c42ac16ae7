import type { Handler } from './context.js';
import { resourceMissing } from './errors.js';
import { readString } from './form.js';
import { createId } from './ids.js';
import { listPage } from './lists.js';
import type { Scope, StripeObject } from './store.js';

export interface EventOrigin {
  scope: Scope;
  apiVersion: string;
  created: number;
  requestId: string | null;
  idempotencyKey: string | undefined;
  pendingWebhooks: number;
}

/**
 * An event envelope as Stripe sends it around `snapshot`, the object as it is now: a copy the caller
 * made (`snapshotOf`), since the stored object keeps changing after the event.
 */
export function buildEvent(
  origin: EventOrigin,
  type: string,
  snapshot: unknown,
  previous?: Record<string, unknown>,
): StripeObject {
  const data: Record<string, unknown> = { object: snapshot };
  if (previous !== undefined) data.previous_attributes = previous;
  return {
    id: createId('evt'),
    object: 'event',
    ...(origin.scope.account === undefined ? {} : { account: origin.scope.account }),
    api_version: origin.apiVersion,
    created: origin.created,
    data,
    livemode: origin.scope.livemode,
    pending_webhooks: origin.pendingWebhooks,
    request: { id: origin.requestId, idempotency_key: origin.idempotencyKey ?? null },
    type,
  };
}

export const listEvents: Handler = (ctx) => {
  const type = readString(ctx.params, 'type');
  const matches = (eventType: string) =>
    type === undefined || (type.endsWith('*') ? eventType.startsWith(type.slice(0, -1)) : eventType === type);
  const events = ctx.ledger.events.filter((event) => matches(event.type as string));
  return listPage(ctx.params, events, '/v1/events');
};

export const retrieveEvent: Handler = (ctx, [id = '']) => {
  const event = ctx.ledger.events.find((candidate) => candidate.id === id);
  if (!event) throw resourceMissing('event', id);
  return event;
};
