import type Stripe from 'stripe';
import { Tenant } from '../../../db/models/tenant.js';
import { inTenantTransaction } from '../../../db/tenant-scope.js';
import type { PaymentDeps } from '../../payment-deps.js';
import type { WebhookOutcome } from '../payment-provider.js';

/**
 * `account.application.deauthorized`: a connected account disconnected the platform, so every
 * payment of its tenant now fails at Stripe (`account_invalid`, answered 503 to payers). The relay
 * cannot fix that itself; it tells the operator loudly, once per event, naming the tenant.
 * Recording the disconnection on the tenant (and refusing payments before calling Stripe) needs a
 * migration and is not done yet (docs/remote-ids.md, known gaps).
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
    (trx) =>
      trx('processed_webhook_events')
        .insert({
          provider: 'stripe',
          event_id: event.id,
          event_type: event.type,
          tenant_id: tenant.id,
          livemode: event.livemode,
        })
        .onConflict(['provider', 'event_id'])
        .ignore()
        .returning('event_id'),
  );
  if (recorded.length === 0) return 'duplicate';
  deps.logger.error(
    { tenantId: tenant.id, account: event.account, eventId: event.id },
    "the tenant's connected Stripe account disconnected the platform: its payments fail until it connects again",
  );
  return 'processed';
}
