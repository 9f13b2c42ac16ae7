import type { ProviderName } from '@onepagepay/protocol';
import { RelayError } from '../../errors.js';
import type { PaymentProvider } from './payment-provider.js';
import { paypalProvider } from './paypal/paypal-provider.js';
import { stripeProvider } from './stripe/stripe-provider.js';

/** Every provider the relay can take payments with: the one place that lists them. */
export const PAYMENT_PROVIDERS: readonly PaymentProvider[] = [stripeProvider, paypalProvider];

const BY_NAME = new Map(PAYMENT_PROVIDERS.map((provider) => [provider.name, provider]));

/** The provider of a transaction or request; an unknown name is a client's mistake, not a crash. */
export function providerNamed(name: string): PaymentProvider {
  const provider = BY_NAME.get(name);
  if (!provider) throw new RelayError('invalid_request', `The relay has no payment provider "${name}".`);
  return provider;
}

/**
 * Whether the relay has a provider of this name. Form settings and the transaction filter check
 * names here, so a new provider is accepted by both once it is registered (and in the protocol's
 * `Provider`, which provider-seam.test.ts holds to the same names).
 */
export function isProviderName(name: string): name is ProviderName {
  return BY_NAME.has(name);
}

/** The registered names as a merchant reads them in an error: `stripe, paypal`. */
export function listProviderNames(lastJoiner: ', ' | ' or ' = ', '): string {
  const names = PAYMENT_PROVIDERS.map((provider) => provider.name);
  const last = names.pop();
  return names.length === 0 ? String(last) : `${names.join(', ')}${lastJoiner}${last}`;
}
