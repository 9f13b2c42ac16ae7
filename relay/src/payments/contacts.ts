import { Contact } from '../db/models/contact.js';
import type { SqlSession } from '../db/sql-session.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { PAYMENT_SQL } from './payment-sql.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A payer this tenant has seen, and the customer id made for them at one Stripe account, if any. */
export interface KnownPayer {
  contact: Contact;
  stripeCustomerId: string | null;
}

/**
 * Finds the payer by email, with their customer id at `stripeAccount` (a connected account id, or
 * null for the platform's own account): never the id of another account, which that account would
 * not know.
 */
export async function findContactByEmail(
  sql: SqlSession,
  scope: TenantScope,
  email: string,
  stripeAccount: string | null,
): Promise<KnownPayer | undefined> {
  const [row] = await sql.rows(PAYMENT_SQL.findContactByEmail, [
    scope.tenantId,
    scope.livemode,
    normalizeEmail(email),
    stripeAccount,
  ]);
  if (!row) return undefined;
  const { account_customer_id: stripeCustomerId, ...contact } = row;
  return {
    contact: Contact.fromDatabaseJson(contact),
    stripeCustomerId: (stripeCustomerId as string | null) ?? null,
  };
}

/** The payer's record at a provider's account, kept on the contact. */
export interface PayerAtProvider {
  stripeCustomerId: string | null;
  stripeAccount?: string | null;
}

/**
 * Records the payer and, when known, their customer id at `stripeAccount` (null or absent: the
 * platform's own account). Ids stored for other accounts are kept.
 */
export async function upsertContact(
  sql: SqlSession,
  scope: TenantScope,
  contact: { email: string; firstName: string; lastName: string } & PayerAtProvider,
): Promise<Contact> {
  const [row] = await sql.rows(PAYMENT_SQL.upsertContact, [
    scope.tenantId,
    scope.livemode,
    normalizeEmail(contact.email),
    contact.firstName,
    contact.lastName,
    contact.stripeCustomerId,
    contact.stripeAccount ?? null,
  ]);
  return Contact.fromDatabaseJson(row as Record<string, unknown>);
}
