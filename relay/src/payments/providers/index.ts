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
