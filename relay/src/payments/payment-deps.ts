import type { Knex } from 'knex';
import type { RelayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { PaymentFormCache } from './payment-form-cache.js';
import { createPayPalAccounts, type PayPalAccounts } from './providers/paypal/paypal-accounts.js';
import { createStripeAccounts, type StripeAccounts } from './providers/stripe/stripe-accounts.js';

/**
 * Each provider's clients per mode, built from config at start-up. Provider-neutral code passes
 * them on whole to the provider (`PaymentProvider`), which picks its own; a new provider adds its
 * clients here and in `createProviderClients`.
 *
 * Named keys rather than a record built from the registry: each provider reads its own clients
 * with their type (`deps.stripe.keysFor`), and the providers' signatures take this type, so deriving
 * it from the registry would make it depend on itself.
 */
export interface ProviderClients {
  stripe: StripeAccounts;
  paypal: PayPalAccounts;
}

/** Every provider's clients from the config: the one place they are made (the server, `reconcile`). */
export function createProviderClients(config: Pick<RelayConfig, 'stripe' | 'paypal'>): ProviderClients {
  return { stripe: createStripeAccounts(config.stripe), paypal: createPayPalAccounts(config.paypal) };
}

/** Releases what the clients hold open (Stripe's keep-alive sockets), on shutdown. */
export async function closeProviderClients(clients: ProviderClients): Promise<void> {
  await clients.stripe.close();
}

/** What the payment operations need, passed in so tests and the sandbox can supply their own. */
export interface PaymentDeps extends ProviderClients {
  knex: Knex;
  logger: Logger;
  forms: PaymentFormCache;
}
