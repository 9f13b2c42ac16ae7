import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { PaymentFormCache } from './payment-form-cache.js';
import type { PayPalAccounts } from './providers/paypal/paypal-accounts.js';
import type { StripeAccounts } from './providers/stripe/stripe-accounts.js';

/**
 * Each provider's clients per mode, built from config at start-up. Provider-neutral code passes
 * them on whole to the provider (`PaymentProvider`), which picks its own; a new provider adds its
 * clients here.
 */
export interface ProviderClients {
  stripe: StripeAccounts;
  paypal: PayPalAccounts;
}

/** What the payment operations need, passed in so tests and the sandbox can supply their own. */
export interface PaymentDeps extends ProviderClients {
  knex: Knex;
  logger: Logger;
  forms: PaymentFormCache;
}
