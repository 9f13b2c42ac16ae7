import type { PaymentStatus } from '@onepagepay/protocol';
import type { SqlSession } from '../../../db/sql-session.js';
import type { TenantScope } from '../../../db/tenant-scope.js';
import { Contact } from '../../../db/models/contact.js';
import type { Transaction } from '../../../db/models/transaction.js';
import { normalizeEmail } from '../../contacts.js';
import { applyStatusChange, type StatusChange } from '../../transaction-store.js';
import { PAYPAL_SQL } from './paypal-sql.js';

/** The parts of a PayPal capture (API answer or webhook resource) the record needs. */
export interface CaptureFacts {
  captureId: string;
  /** COMPLETED, PENDING, DECLINED, FAILED, REFUNDED, PARTIALLY_REFUNDED. */
  status: string;
}

export interface PayerFacts {
  email: string;
  givenName: string | undefined;
  surname: string | undefined;
}

/** What a capture's status means for our transaction. */
export function statusFromCapture(status: string): PaymentStatus {
  switch (status) {
    case 'COMPLETED':
      return 'succeeded';
    case 'DECLINED':
    case 'FAILED':
      return 'failed';
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
      // Refunds are applied from their own events with their amounts; the payment itself was paid.
      return 'succeeded';
    default:
      return 'processing';
  }
}

export function changeForCapture(capture: CaptureFacts): StatusChange {
  const status = statusFromCapture(capture.status);
  return {
    status,
    providerPaymentId: capture.captureId,
    ...(status === 'failed'
      ? {
          failureCode: 'payment_failed',
          declineCode: capture.status,
          failureMessage: 'PayPal declined the payment.',
        }
      : {}),
  };
}

/**
 * Records a capture on its transaction with the payer as its contact, in one database transaction
 * with the HubSpot outbox row (applyStatusChange), exactly as the card path records a charge.
 */
export async function recordCapture(
  sql: SqlSession,
  scope: TenantScope,
  transaction: Transaction,
  capture: CaptureFacts,
  payer: PayerFacts | undefined,
): Promise<Transaction> {
  let contactId: string | undefined;
  if (payer) {
    const [row] = await sql.rows(PAYPAL_SQL.upsertContact, [
      scope.tenantId,
      scope.livemode,
      normalizeEmail(payer.email),
      payer.givenName || payer.email,
      payer.surname || '-',
    ]);
    contactId = Contact.fromDatabaseJson(row as Record<string, unknown>).id;
  }
  const { transaction: recorded } = await applyStatusChange(sql, transaction, {
    ...changeForCapture(capture),
    ...(contactId ? { contactId } : {}),
  });
  return recorded;
}
