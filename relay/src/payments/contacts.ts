import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { PaymentContact } from '@onepagepay/protocol';
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

/**
 * Creates the Stripe customer for a payer this tenant has not seen in this mode. Returning payers are
 * found by email in the tenant's own contacts (findContactByEmail), which hold the customer id, so no
 * Stripe lookup sits on the payment path: like Stripe Checkout, the relay does not adopt customers
 * made outside it. The create is idempotent per tenant, mode and email, so two concurrent first
 * payments by one person make one customer; if they differ in name, Stripe refuses the second create
 * as an idempotency error and the customer the first one made is looked up by email instead.
 * `idempotencyKey` replaces that per-email key where a customer must be made anew (the stored one
 * was deleted): the per-email key would replay the deleted customer.
 */
export async function createStripeCustomer(options: {
  stripe: Stripe;
  stripeAccount: string | null;
  scope: TenantScope;
  contact: PaymentContact;
  idempotencyKey?: string;
}): Promise<string> {
  const { stripe, scope, contact } = options;
  const email = normalizeEmail(contact.email);
  const emailHash = createHash('sha256').update(email).digest('hex').slice(0, 32);
  const requestOptions = options.stripeAccount ? { stripeAccount: options.stripeAccount } : {};
  const create = stripe.customers.create(
    {
      email,
      name: `${contact.firstName} ${contact.lastName}`,
      metadata: {
        onepagepay_tenant_id: scope.tenantId,
        first_name: contact.firstName,
        last_name: contact.lastName,
      },
    },
    {
      ...requestOptions,
      idempotencyKey:
        options.idempotencyKey ??
        `opp_cus_${scope.tenantId}_${scope.livemode ? 'live' : 'test'}_${emailHash}`,
    },
  );
  try {
    return (await create).id;
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeIdempotencyError)) throw error;
    const found = await stripe.customers.list({ email, limit: 1 }, requestOptions);
    if (!found.data[0]) throw error;
    return found.data[0].id;
  }
}

/**
 * Records the payer and, when known, their customer id at `stripeAccount` (null or absent: the
 * platform's own account). Ids stored for other accounts are kept.
 */
export async function upsertContact(
  sql: SqlSession,
  scope: TenantScope,
  contact: {
    email: string;
    firstName: string;
    lastName: string;
    stripeCustomerId: string | null;
    stripeAccount?: string | null;
  },
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
