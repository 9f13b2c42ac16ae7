import type { Form } from '../../db/models/form.js';
import type { Tenant } from '../../db/models/tenant.js';
import type { ProviderClients } from '../payment-deps.js';
import type { PaymentProvider, PublicProviderConfig } from './payment-provider.js';

/**
 * Every provider's block of one form's public config, keyed by name in the order given (the order
 * of the JSON keys): the provider's own for those the form offers, null for the others, so the
 * browser finds a key for each provider the relay has.
 */
export function publicProviderConfigs(
  providers: readonly PaymentProvider[],
  clients: ProviderClients,
  tenant: Tenant,
  form: Pick<Form, 'providers' | 'livemode'>,
): Record<string, PublicProviderConfig | null> {
  return Object.fromEntries(
    providers.map((provider) => [
      provider.name,
      form.providers.includes(provider.name) ? provider.publicConfig(clients, tenant, form.livemode) : null,
    ]),
  );
}
