import type { CreatePaymentRequest } from '@onepagepay/protocol';
import type { Form } from '../../db/models/form.js';
import type { Tenant } from '../../db/models/tenant.js';
import type { Transaction } from '../../db/models/transaction.js';
import type { TenantScope } from '../../db/tenant-scope.js';
import type { ProviderSweepReport, SweepDeps, SweepOptions } from '../../reconciliation/findings.js';
import type { HealthProbe } from '../../status/upstream-health.js';
import type { KnownPayer, PayerAtProvider } from '../contacts.js';
import type { PaymentDeps, ProviderClients } from '../payment-deps.js';
import type { StatusChange } from '../transaction-store.js';
import type { ProviderRefund, ProviderRefundRequest, RefundDeps } from './refund-at-provider.js';

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/** A provider's public form config block; its shape is the protocol's `FormConfig[<name>]`. */
export type PublicProviderConfig = Record<string, unknown>;

/**
 * One payment provider, as the provider-neutral code (claim, record, outbox, refunds, webhook
 * routing, upstream health, reconciliation) sees it. Each provider lives in its own folder under
 * `providers/` and exports one of these; docs/architecture.md lists the files a new one touches.
 */
export interface PaymentProvider {
  /**
   * The `transactions.provider` value, the webhook path segment (`/v1/webhooks/<name>`), its key in
   * `GET /v1/status` and in the reconciliation report, and its metrics label.
   */
  readonly name: string;
  /** The name people read (CLI output): `Stripe`, `PayPal`. */
  readonly label: string;
  /** Payments the relay charges in one call from `POST /v1/payments` (cards); absent otherwise. */
  readonly card?: CardPayments;
  /**
   * This provider's block of a form's public config (`GET /v1/forms/…`, the `FormConfig` key of its
   * name), asked only for forms that offer it: what the browser needs to load it and never a
   * secret; null when the form's mode is not set up.
   */
  publicConfig(clients: ProviderClients, tenant: Tenant, livemode: boolean): PublicProviderConfig | null;
  /** Refunds the provider's payment. A refusal (4xx) throws with `statusCode`; no answer throws without. */
  refund(deps: RefundDeps, request: ProviderRefundRequest): Promise<ProviderRefund>;
  /** Verifies one webhook delivery over its raw bytes and applies it, deduplicated by event id. */
  receiveWebhook(deps: PaymentDeps, raw: Buffer, header: (name: string) => string): Promise<WebhookOutcome>;
  /**
   * One cheap authenticated call for `GET /v1/status` (in the last configured mode: live when there
   * is one, where payers are); undefined leaves the provider out of the status.
   */
  probe(clients: ProviderClients): HealthProbe | undefined;
  /**
   * Compares the provider's payments of the window with our records and records what lost webhooks
   * would have; reads from the provider only, never moves money. Throws when it cannot read at all.
   */
  sweep(deps: SweepDeps, options: SweepOptions, report: ProviderSweepReport): Promise<void>;
}

/** One claimed attempt to charge, with the price the relay decided. */
export interface ChargeAttempt {
  tenant: Tenant;
  form: Form;
  scope: TenantScope;
  request: CreatePaymentRequest;
  amount: number;
  transactionId: string;
  /** When the attempt was first claimed: a retry long after it may outlive the provider's idempotency. */
  attemptStartedAt: Date;
  /** The payer as this tenant knows them at the provider's account (`payerAccountOf`), if seen before. */
  knownPayer: KnownPayer | undefined;
}

/** What a charge or confirmation ended in: a status to record and, for card payers, their record. */
export interface ChargeOutcome {
  change: StatusChange;
  /** The secret the browser needs for a next action (3-D Secure). */
  clientSecret?: string;
  /** Stored on the contact, also after a decline, so the next charge reuses it. */
  payer?: PayerAtProvider;
}

export interface CardPayments {
  /** The provider account a tenant's payer records belong to (a connected account id, or null). */
  payerAccountOf(tenant: Tenant): string | null;
  /**
   * Throws `provider_unavailable` when the mode is not set up or the tenant's account at the
   * provider cannot be charged (a Stripe account that disconnected), before an attempt is claimed.
   */
  assertReady(deps: PaymentDeps, tenant: Tenant, livemode: boolean): Promise<void>;
  /** Charges once; throws ProviderUnansweredError when the provider may or may not have acted. */
  charge(deps: PaymentDeps, attempt: ChargeAttempt): Promise<ChargeOutcome>;
  /** A fresh client secret for a payment awaiting the payer's action, for a replayed attempt. */
  resumeAction(deps: PaymentDeps, tenant: Tenant, transaction: Transaction): Promise<string | undefined>;
  /** Finishes a payment after the browser's next action; throws ProviderUnansweredError on silence. */
  confirm(
    deps: PaymentDeps,
    tenant: Tenant,
    transaction: Transaction,
    attemptId: string,
  ): Promise<ChargeOutcome>;
  /** The request's provider-specific part, hashed into the attempt's fingerprint. */
  fingerprintMaterial(request: CreatePaymentRequest): unknown;
}

/**
 * The provider did not answer (timeout, dropped connection, 5xx): it may or may not have acted, so
 * the attempt stays open for a retry with the same idempotency key.
 */
export class ProviderUnansweredError extends Error {
  override readonly name = 'ProviderUnansweredError';
  constructor(cause: unknown) {
    super('The payment provider did not answer.', { cause });
  }
}
