import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Knex } from 'knex';
import type { PaymentContact } from '@onepagepay/protocol';
import { Contact } from '../db/models/contact.js';
import type { TenantScope } from '../db/tenant-scope.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findContactByEmail(trx: Knex.Transaction, scope: TenantScope, email: string) {
  return Contact.query(trx)
    .where({ tenant_id: scope.tenantId, livemode: scope.livemode, email: normalizeEmail(email) })
    .first();
}

/**
 * Creates the Stripe customer for a payer this tenant has not seen in this mode. Returning payers are
 * found by email in the tenant's own contacts (findContactByEmail), which hold the customer id, so no
 * Stripe lookup sits on the payment path: like Stripe Checkout, the relay does not adopt customers
 * made outside it. The create is idempotent per tenant, mode and email, so two concurrent first
 * payments by one person make one customer; if they differ in name, Stripe refuses the second create
 * as an idempotency error and the customer the first one made is looked up by email instead.
 */
export async function createStripeCustomer(options: {
  stripe: Stripe;
  stripeAccount: string | null;
  scope: TenantScope;
  contact: PaymentContact;
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
      idempotencyKey: `opp_cus_${scope.tenantId}_${scope.livemode ? 'live' : 'test'}_${emailHash}`,
    },
  );
  try {
    return (await create).id;
  } catch (error) {
    if ((error as { type?: string }).type !== 'StripeIdempotencyError') throw error;
    const found = await stripe.customers.list({ email, limit: 1 }, requestOptions);
    if (!found.data[0]) throw error;
    return found.data[0].id;
  }
}

export async function upsertContact(
  trx: Knex.Transaction,
  scope: TenantScope,
  contact: { email: string; firstName: string; lastName: string; stripeCustomerId: string | null },
): Promise<Contact> {
  const rows = (await Contact.query(trx)
    .insert({
      ...contact,
      email: normalizeEmail(contact.email),
      tenantId: scope.tenantId,
      livemode: scope.livemode,
    })
    .onConflict(['tenant_id', 'livemode', 'email'])
    .merge(['first_name', 'last_name', 'stripe_customer_id', 'updated_at'])
    .returning('*')) as unknown as Contact | Contact[];
  return Array.isArray(rows) ? (rows[0] as Contact) : rows;
}
