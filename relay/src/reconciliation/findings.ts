import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { ProviderClients } from '../payments/payment-deps.js';

/** What the sweep needs: the database and the providers' real clients, passed in. */
export interface SweepDeps extends ProviderClients {
  knex: Knex;
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
  /** The provider's registry name (`PaymentProvider.name`), as in `transactions.provider`. */
  provider: string;
  kind: FindingKind;
  outcome: FindingOutcome;
  tenantId: string;
  livemode: boolean;
  /** The provider's payment: a Stripe PaymentIntent id, a PayPal order id. */
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
  /**
   * Provider payments (PaymentIntents, PayPal orders) compared with our records, by provider name:
   * every registered provider has its count, 0 when it is not configured.
   */
  checked: Record<string, number>;
  findings: Finding[];
  /** Providers or accounts the sweep could not read this time (it tries again next run). */
  errors: Array<{ provider: string; message: string }>;
}

/** A finding as a provider's sweep makes it: the provider-neutral sweep adds the provider's name. */
export type ProviderFinding = Omit<Finding, 'provider'>;

/**
 * One provider's part of a sweep, as its `PaymentProvider.sweep` fills it. The provider-neutral
 * sweep names the provider on everything in it, so a provider cannot report under another's name.
 */
export interface ProviderSweepReport {
  /** Payments at the provider compared with our records. */
  checked: number;
  findings: ProviderFinding[];
  /** What could not be read (an account, an order); the sweep goes on with the rest. */
  errors: string[];
}
