import Stripe from 'stripe';
import type { Logger } from '../../../logger.js';
import type { StripeAccounts } from './stripe-accounts.js';

/** The API version the relay's `stripe` package pins: every call it makes is in this version. */
export const PINNED_API_VERSION: string = Stripe.API_VERSION;

const warned = new Set<string>();

/**
 * Stripe renders each event in the API version of the webhook endpoint it goes to (or the
 * account's default), not the version of the request that caused it, so `data.object` can have
 * another version's shape than the relay's types. An event in another version is therefore not
 * read as it came: its object is fetched again through the API, which answers in the pinned
 * version. Operators are told once per version to create the endpoint on the pinned one
 * (docs/relay.md, "Stripe webhooks"), which makes that extra call unnecessary.
 */
export async function inPinnedVersion(
  stripe: StripeAccounts,
  logger: Logger,
  event: Stripe.Event,
): Promise<Stripe.Event> {
  if (!event.api_version || event.api_version === PINNED_API_VERSION) return event;
  if (!warned.has(event.api_version)) {
    warned.add(event.api_version);
    logger.warn(
      { eventApiVersion: event.api_version, pinnedApiVersion: PINNED_API_VERSION },
      `the Stripe webhook endpoint sends events in API version ${event.api_version}; recreate it on ${PINNED_API_VERSION} (docs/relay.md). Until then each event's object is fetched again.`,
    );
  }
  return withCurrentObject(stripe, event);
}

/** The event with its object as the API renders it now, in the pinned version. */
export async function withCurrentObject(stripe: StripeAccounts, event: Stripe.Event): Promise<Stripe.Event> {
  const object = await refetch(stripe.clientFor(event.livemode), event);
  return object ? ({ ...event, data: { ...event.data, object } } as Stripe.Event) : event;
}

type Fetcher = (client: Stripe, id: string, options: Stripe.RequestOptions) => Promise<unknown>;

const FETCHERS: Record<string, Fetcher> = {
  payment_intent: (client, id, options) => client.paymentIntents.retrieve(id, {}, options),
  charge: (client, id, options) => client.charges.retrieve(id, {}, options),
  dispute: (client, id, options) => client.disputes.retrieve(id, {}, options),
  refund: (client, id, options) => client.refunds.retrieve(id, {}, options),
};

/** The event's object as the API renders it now, for the object kinds the relay reads. */
async function refetch(client: Stripe, event: Stripe.Event): Promise<unknown> {
  const object = event.data.object as { object?: string; id?: string };
  const fetcher = object.object ? FETCHERS[object.object] : undefined;
  if (!fetcher || !object.id) return undefined;
  return fetcher(client, object.id, event.account ? { stripeAccount: event.account } : {});
}
