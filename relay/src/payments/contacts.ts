import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Knex } from 'knex';
import type { PaymentContact } from '@onepagepay/protocol';
import { Contact } from '../db/models/contact.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Finds the payer's Stripe customer (ours first, then Stripe's by email) or creates one, and
 * upserts the contact row. The create is idempotent per tenant, mode and email, so two concurrent
 * first payments by one person make one customer.
 */
export async function ensureStripeContact(options: {
  knex: Knex;
  stripe: Stripe;
  stripeAccount: string | null;
  scope: TenantScope;
  contact: PaymentContact;
}): Promise<Contact> {
  const { knex, stripe, scope } = options;
  const email = normalizeEmail(options.contact.email);
  const requestOptions = options.stripeAccount ? { stripeAccount: options.stripeAccount } : {};
  const known = await inTenantTransaction(knex, scope, (trx) =>
    Contact.query(trx).where({ tenant_id: scope.tenantId, livemode: scope.livemode, email }).first(),
  );
  let customerId = known?.stripeCustomerId ?? null;
  if (!customerId) {
    const found = await stripe.customers.list({ email, limit: 1 }, requestOptions);
    customerId = found.data[0]?.id ?? null;
  }
  if (!customerId) {
    const emailHash = createHash('sha256').update(email).digest('hex').slice(0, 32);
    const created = await stripe.customers.create(
      {
        email,
        name: `${options.contact.firstName} ${options.contact.lastName}`,
        metadata: {
          onepagepay_tenant_id: scope.tenantId,
          first_name: options.contact.firstName,
          last_name: options.contact.lastName,
        },
      },
      {
        ...requestOptions,
        idempotencyKey: `opp_cus_${scope.tenantId}_${scope.livemode ? 'live' : 'test'}_${emailHash}`,
      },
    );
    customerId = created.id;
  }
  return upsertContact(knex, scope, {
    email,
    firstName: options.contact.firstName,
    lastName: options.contact.lastName,
    stripeCustomerId: customerId,
  });
}

export async function upsertContact(
  knex: Knex,
  scope: TenantScope,
  contact: { email: string; firstName: string; lastName: string; stripeCustomerId: string | null },
  trx?: Knex.Transaction,
): Promise<Contact> {
  const write = async (db: Knex.Transaction) =>
    Contact.query(db)
      .insert({
        ...contact,
        email: normalizeEmail(contact.email),
        tenantId: scope.tenantId,
        livemode: scope.livemode,
      })
      .onConflict(['tenant_id', 'livemode', 'email'])
      .merge(['first_name', 'last_name', 'stripe_customer_id', 'updated_at'])
      .returning('*') as unknown as Promise<Contact>;
  const row = trx ? await write(trx) : await inTenantTransaction(knex, scope, write);
  return Array.isArray(row) ? (row[0] as Contact) : row;
}
