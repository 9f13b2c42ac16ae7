import type Stripe from 'stripe';
import { Tenant } from '../../../db/models/tenant.js';
import { inTenantTransaction } from '../../../db/tenant-scope.js';
import { RelayError } from '../../../errors.js';
import type { PaymentDeps } from '../../payment-deps.js';
import type { WebhookOutcome } from '../payment-provider.js';

/**
 * `account.application.deauthorized`: a connected account disconnected the platform, so Stripe now
 * refuses every request made on it. The account is recorded (migration 022) in the same transaction
 * as the event id, card payments of its tenants are refused before any attempt is claimed
 * (`refuseDeauthorizedAccount`), and the operator is told once per event, naming the tenant.
 */
export async function recordDeauthorization(
  deps: Pick<PaymentDeps, 'knex' | 'stripe' | 'logger'>,
  event: Stripe.Event,
): Promise<WebhookOutcome> {
  if (!event.account) return 'ignored';
  const tenant = await Tenant.query(deps.knex).where({ stripe_account_id: event.account }).first();
  if (!tenant) return 'ignored';
  const recorded = await inTenantTransaction(
    deps.knex,
    { tenantId: tenant.id, livemode: event.livemode },
    async (trx) => {
      const fresh = await trx('processed_webhook_events')
        .insert({
          provider: 'stripe',
          event_id: event.id,
          event_type: event.type,
          tenant_id: tenant.id,
          livemode: event.livemode,
        })
        .onConflict(['provider', 'event_id'])
        .ignore()
        .returning('event_id');
      if (fresh.length > 0) {
        await trx('stripe_deauthorized_accounts')
          .insert({
            account_id: event.account,
            event_id: event.id,
            deauthorized_at: new Date(event.created * 1000),
          })
          .onConflict('account_id')
          .merge();
      }
      return fresh;
    },
  );
  if (recorded.length === 0) return 'duplicate';
  deps.logger.error(
    { tenantId: tenant.id, account: event.account, eventId: event.id },
    "the tenant's connected Stripe account disconnected the platform: its payments fail until it connects again",
  );
  return 'processed';
}

/**
 * Card payments on an account that disconnected the platform would be refused by Stripe after the
 * attempt was claimed; refusing first leaves nothing to clean up. One primary-key lookup, and only
 * for tenants that charge on a connected account.
 */
export async function refuseDeauthorizedAccount(
  deps: Pick<PaymentDeps, 'knex'>,
  tenant: Pick<Tenant, 'stripeAccountId'>,
): Promise<void> {
  if (!tenant.stripeAccountId) return;
  const row = (await deps
    .knex('stripe_deauthorized_accounts')
    .where({ account_id: tenant.stripeAccountId })
    .first('deauthorized_at')) as { deauthorized_at: Date } | undefined;
  if (!row) return;
  throw new RelayError(
    'provider_unavailable',
    `This merchant's Stripe account disconnected OnePagePay on ${new Date(row.deauthorized_at).toISOString().slice(0, 10)}: card payments are off until it connects again.`,
  );
}
