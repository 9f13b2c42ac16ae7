import type { RelayConfig } from '../config.js';
import { createHubSpotClientFactory, type HubSpotClientFactory } from '../hubspot/client-factory.js';
import type { ProviderClients } from '../payments/payment-deps.js';
import type { PaymentProvider } from '../payments/providers/payment-provider.js';
import type { HealthProbe } from './upstream-health.js';

/**
 * One cheap authenticated call per upstream: each payment provider's own (`PaymentProvider.probe`,
 * in registry order), then one HubSpot contact. HubSpot is probed only with HUBSPOT_PROBE_TOKEN:
 * without it the relay has no token of its own to ask HubSpot with.
 */
export function upstreamProbes(deps: {
  providers: readonly PaymentProvider[];
  clients: ProviderClients;
  config: Pick<RelayConfig, 'hubspot'>;
  hubspotClients?: HubSpotClientFactory;
}): Record<string, HealthProbe> {
  const probes: Record<string, HealthProbe> = {};
  for (const provider of deps.providers) {
    const probe = provider.probe(deps.clients);
    if (probe) probes[provider.name] = probe;
  }
  const { probeToken, apiBase } = deps.config.hubspot;
  if (probeToken) {
    const hubspot = (deps.hubspotClients ?? createHubSpotClientFactory(apiBase))({ accessToken: probeToken });
    probes.hubspot = () => hubspot.crm.contacts.basicApi.getPage(1);
  }
  return probes;
}
