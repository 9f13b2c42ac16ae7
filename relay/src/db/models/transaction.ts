import type { PaymentStatus, ProviderName } from '@onepagepay/protocol';
import { BaseModel } from './base-model.js';

export class Transaction extends BaseModel {
  static override tableName = 'transactions';
  static override idColumn = ['tenant_id', 'id'];

  tenantId!: string;
  livemode!: boolean;
  id!: string;
  formId!: string;
  contactId!: string | null;
  attemptId!: string;
  requestFingerprint!: string;
  amount!: number;
  currency!: string;
  productName!: string;
  provider!: ProviderName;
  providerPaymentId!: string | null;
  /** PayPal's order id (migration 012); the capture id is providerPaymentId. */
  providerOrderId!: string | null;
  status!: PaymentStatus;
  failureCode!: string | null;
  declineCode!: string | null;
  failureMessage!: string | null;
  amountRefunded!: number;
  claimedUntil!: Date | null;
  hutk!: string | null;
  pageUri!: string | null;
  /** The email HubSpot received with the submission carrying this transaction, once known. */
  submittedEmail!: string | null;
  /** HubSpot sync state (migration 002); null until the transaction is queued for HubSpot. */
  hubspotSyncState!: 'pending' | 'synced' | 'retrying' | 'failed' | null;
  hubspotSyncAttempts!: number;
  hubspotLastError!: string | null;
  hubspotContactId!: string | null;
  hubspotDealId!: string | null;
  hubspotLineItemId!: string | null;
  hubspotSyncedAt!: Date | null;
  formSubmittedAt!: Date | null;
  formSubmittedBy!: 'browser' | 'relay' | null;
  createdAt!: Date;
  updatedAt!: Date;
}

/** Statuses after which a payment attempt never changes on its own. */
export const SETTLED_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'succeeded',
  'failed',
  'refunded',
  'partially_refunded',
  'disputed',
]);
