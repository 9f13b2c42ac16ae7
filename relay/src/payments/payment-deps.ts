import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { PaymentFormCache } from './payment-form-cache.js';
import type { PayPalAccounts } from './providers/paypal/paypal-accounts.js';
import type { StripeAccounts } from './providers/stripe/stripe-accounts.js';

/** What the payment operations need, passed in so tests and the sandbox can supply their own. */
export interface PaymentDeps {
  knex: Knex;
  stripe: StripeAccounts;
  paypal: PayPalAccounts;
  logger: Logger;
  forms: PaymentFormCache;
}
