import type { Knex } from 'knex';
import { Tenant } from '../db/models/tenant.js';
import { RelayError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkStripeAccountId } from './create-tenant.js';

/**
 * Points a tenant at a connected Stripe account (or at none: the platform account), after the
 * merchant connected it (again). A disconnection recorded for that account (migration 022) is
 * forgotten, so card payments resume. Operators only: the CLI's owner connection.
 */
export async function setStripeAccount(
  knex: Knex,
  tenantId: string,
  stripeAccountId: string | null,
): Promise<{ previous: string | null }> {
  if (!isUuid(tenantId)) throw new RelayError('invalid_request', 'The tenant id must be a UUID.');
  if (stripeAccountId !== null) checkStripeAccountId(stripeAccountId);
  return knex.transaction(async (trx) => {
    const tenant = await Tenant.query(trx).findById(tenantId).forUpdate();
    if (!tenant) throw new RelayError('not_found', `No tenant ${tenantId}.`);
    await Tenant.query(trx).patch({ stripeAccountId }).where({ id: tenantId });
    if (stripeAccountId) {
      await trx('stripe_deauthorized_accounts').where({ account_id: stripeAccountId }).delete();
    }
    return { previous: tenant.stripeAccountId };
  });
}
