import type { RelayConfig } from '../config.js';
import { createHubSpotClientFactory, type HubSpotClientFactory } from '../hubspot/client-factory.js';
import type { PayPalAccounts } from '../payments/providers/paypal/paypal-accounts.js';
import type { StripeAccounts } from '../payments/providers/stripe/stripe-accounts.js';
import type { HealthProbe } from './upstream-health.js';

/**
 * One cheap authenticated call per upstream: Stripe's balance, a PayPal token, one HubSpot
 * contact. The last configured mode is probed (live when there is one: that is where payers are).
 * PayPal and HubSpot are probed only where configured: a card-only relay reports no PayPal outage,
 * and without HUBSPOT_PROBE_TOKEN the relay has no token of its own to ask HubSpot with.
 */
export function upstreamProbes(deps: {
  config: Pick<RelayConfig, 'hubspot'>;
  stripe: StripeAccounts;
  paypal: PayPalAccounts;
  hubspotClients?: HubSpotClientFactory;
}): Record<string, HealthProbe> {
  const stripe = deps.stripe.configuredModes().at(-1);
  const paypal = deps.paypal.configuredModes().at(-1);
  const { probeToken, apiBase } = deps.config.hubspot;
  const hubspot = probeToken
    ? (deps.hubspotClients ?? createHubSpotClientFactory(apiBase))({ accessToken: probeToken })
    : undefined;
  return {
    stripe: stripe
      ? () => stripe.client.balance.retrieve()
      : () => Promise.reject(new Error('not configured')),
    ...(paypal ? { paypal: () => paypal.probeHealth() } : {}),
    ...(hubspot ? { hubspot: () => hubspot.crm.contacts.basicApi.getPage(1) } : {}),
  };
}
