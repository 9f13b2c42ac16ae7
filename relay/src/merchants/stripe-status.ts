import type { Knex } from 'knex';
import type { StripeConnectionStatus } from '@onepagepay/protocol';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';

/**
 * Whether the tenant's card payments can reach Stripe: a connected account that disconnected the
 * platform (`account.application.deauthorized`, recorded in migration 022) refuses every payment
 * until the operator connects it again. Tenants charging on the platform account have nothing to lose.
 */
export async function stripeStatus(knex: Knex, scope: TenantScope): Promise<StripeConnectionStatus> {
  return inTenantTransaction(knex, scope, async (trx) => {
    const tenant = (await trx('tenants').where({ id: scope.tenantId }).first('stripe_account_id')) as
      { stripe_account_id: string | null } | undefined;
    const accountId = tenant?.stripe_account_id ?? null;
    const deauthorized = accountId
      ? ((await trx('stripe_deauthorized_accounts')
          .where({ account_id: accountId })
          .first('deauthorized_at')) as { deauthorized_at: Date } | undefined)
      : undefined;
    return {
      object: 'stripe_status',
      connectedAccountId: accountId,
      status: deauthorized ? 'disconnected' : 'active',
      disconnectedAt: deauthorized ? new Date(deauthorized.deauthorized_at).toISOString() : null,
    };
  });
}
