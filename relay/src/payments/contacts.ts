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
 * The payer's Stripe customer: found by email at Stripe, or created. The create is idempotent per
 * tenant, mode and email, so two concurrent first payments by one person make one customer.
 */
export async function findOrCreateStripeCustomer(options: {
  stripe: Stripe;
  stripeAccount: string | null;
  scope: TenantScope;
  contact: PaymentContact;
}): Promise<string> {
  const { stripe, scope, contact } = options;
  const email = normalizeEmail(contact.email);
  const requestOptions = options.stripeAccount ? { stripeAccount: options.stripeAccount } : {};
  const found = await stripe.customers.list({ email, limit: 1 }, requestOptions);
  if (found.data[0]) return found.data[0].id;
  const emailHash = createHash('sha256').update(email).digest('hex').slice(0, 32);
  const created = await stripe.customers.create(
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
  return created.id;
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
