import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { PaymentContact } from '@onepagepay/protocol';
import type { TenantScope } from '../../../db/tenant-scope.js';
import { normalizeEmail } from '../../contacts.js';

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
