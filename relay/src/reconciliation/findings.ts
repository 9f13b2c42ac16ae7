import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { PayPalAccounts } from '../payments/providers/paypal/paypal-accounts.js';
import type { StripeAccounts } from '../payments/providers/stripe/stripe-accounts.js';

/** What the sweep needs: the database and the providers' real clients, passed in. */
export interface SweepDeps {
  knex: Knex;
  stripe: StripeAccounts;
  paypal: PayPalAccounts;
  logger: Logger;
}

/**
 * One disagreement between a provider and our records:
 * - `missing_transaction`: the provider was paid, we have no transaction for it;
 * - `status_mismatch`: we have the transaction, in a status the provider's state moves forward;
 * - `metadata_mismatch`: the payment's metadata names a transaction bound to another payment;
 * - `approved_not_captured`: a PayPal order the payer approved that nobody captured.
 */
export type FindingKind =
  'missing_transaction' | 'status_mismatch' | 'metadata_mismatch' | 'approved_not_captured';

/**
 * What the sweep did about it: `fixed`, `found` (a dry run), `duplicate` (another sweep applied
 * the same fix first), `unfixable` (the provider's data is not enough to rebuild the record), or
 * `left_alone` (fixing it would move money, which the sweep never does).
 */
export type FindingOutcome = 'fixed' | 'found' | 'duplicate' | 'unfixable' | 'left_alone';

export interface Finding {
  provider: 'stripe' | 'paypal';
  kind: FindingKind;
  outcome: FindingOutcome;
  tenantId: string;
  livemode: boolean;
  /** The PaymentIntent id or the PayPal order id. */
  providerId: string;
  transactionId: string | null;
  /** Our status before the sweep (null when the transaction was missing) and the provider's. */
  ourStatus: string | null;
  providerStatus: string;
}

export interface SweepOptions {
  /** Payments created in [since, until] are compared; `until` leaves in-flight payments alone. */
  since: Date;
  until: Date;
  dryRun: boolean;
}

export interface SweepReport {
  since: string;
  until: string;
  dryRun: boolean;
  /** Provider payments (PaymentIntents, PayPal orders) compared with our records. */
  checked: { stripe: number; paypal: number };
  findings: Finding[];
  /** Providers or accounts the sweep could not read this time (it tries again next run). */
  errors: Array<{ provider: 'stripe' | 'paypal'; message: string }>;
}
