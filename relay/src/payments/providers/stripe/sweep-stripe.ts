import type Stripe from 'stripe';
import { Tenant } from '../../../db/models/tenant.js';
import { inTenantTransaction } from '../../../db/tenant-scope.js';
import type {
  FindingOutcome,
  ProviderFinding,
  ProviderSweepReport,
  SweepDeps,
  SweepOptions,
} from '../../../reconciliation/findings.js';
import { canMoveTo } from '../../transaction-status.js';
import type { WebhookOutcome } from '../payment-provider.js';
import { findTransaction, handleStripeEvent, tenantOf } from './handle-stripe-event.js';
import { statusFromPaymentIntent } from './payment-intent-status.js';

const OUTCOMES: Record<WebhookOutcome, FindingOutcome> = {
  processed: 'fixed',
  duplicate: 'duplicate',
  ignored: 'unfixable',
};

/**
 * Lists the PaymentIntents created in the window on the platform and on every connected account
 * of a tenant, and compares each one carrying our metadata with our record. A disagreement is
 * applied exactly as its lost webhook would have been (handleStripeEvent), under an event id of
 * its own (`sweep_<intent>_<status>`), so two sweeps, or a sweep and the late webhook, apply it
 * once. The sweep only reads from Stripe: it never creates, confirms or captures a payment.
 */
export async function sweepStripe(
  deps: SweepDeps,
  options: SweepOptions,
  report: ProviderSweepReport,
): Promise<void> {
  const accounts = await connectedAccounts(deps);
  for (const { livemode, client } of deps.stripe.configuredModes()) {
    for (const account of [null, ...accounts]) {
      try {
        const intents = client.paymentIntents.list(
          {
            created: { gte: toUnix(options.since), lte: toUnix(options.until) },
            limit: 100,
          },
          account ? { stripeAccount: account } : {},
        );
        for await (const intent of intents) {
          if (intent.livemode !== livemode || !intent.metadata?.onepagepay_transaction_id) continue;
          report.checked += 1;
          const finding = await reconcileIntent(deps, intent, livemode, account, options.dryRun);
          if (finding) report.findings.push(finding);
        }
      } catch (error) {
        const where = account ? `account ${account}` : 'the platform account';
        report.errors.push(`${livemode ? 'live' : 'test'} ${where}: ${(error as Error).message}`);
      }
    }
  }
}

/** The connected accounts to list, less those that disconnected the platform: Stripe refuses them. */
async function connectedAccounts(deps: SweepDeps): Promise<string[]> {
  const rows = await Tenant.query(deps.knex)
    .whereNotNull('stripe_account_id')
    .whereNotExists((gone) =>
      gone
        .select(1)
        .from('stripe_deauthorized_accounts')
        .whereRaw('stripe_deauthorized_accounts.account_id = tenants.stripe_account_id'),
    )
    .distinct('stripe_account_id');
  return rows.map((row) => row.stripeAccountId).filter((id): id is string => Boolean(id));
}

async function reconcileIntent(
  deps: SweepDeps,
  intent: Stripe.PaymentIntent,
  livemode: boolean,
  account: string | null,
  dryRun: boolean,
): Promise<ProviderFinding | undefined> {
  const providerStatus = statusFromPaymentIntent(intent);
  // Only settled states are compared: a payment still in 3-D Secure is the payer's to finish.
  if (providerStatus !== 'succeeded' && providerStatus !== 'failed') return undefined;
  const event = sweepEvent(intent, providerStatus, livemode, account);
  const tenant = await tenantOf(deps.knex, event, intent);
  if (!tenant) return undefined;
  const scope = { tenantId: tenant.id, livemode };
  const found = await inTenantTransaction(deps.knex, scope, (trx) => findTransaction(trx, scope, intent));
  const base = { tenantId: tenant.id, livemode, providerId: intent.id };
  if (found === 'mismatch') {
    return {
      ...base,
      kind: 'metadata_mismatch',
      outcome: 'left_alone',
      transactionId: intent.metadata.onepagepay_transaction_id ?? null,
      ourStatus: null,
      providerStatus,
    };
  }
  // A declined intent with no record cost the payer nothing: there is nothing to recover.
  if (!found && providerStatus !== 'succeeded') return undefined;
  if (found && (found.status === providerStatus || !canMoveTo(found.status, providerStatus)))
    return undefined;
  const outcome = dryRun ? 'found' : OUTCOMES[await handleStripeEvent(deps, event)];
  return {
    ...base,
    kind: found ? 'status_mismatch' : 'missing_transaction',
    outcome,
    transactionId: found?.id ?? intent.metadata.onepagepay_transaction_id ?? null,
    ourStatus: found?.status ?? null,
    providerStatus,
  };
}

/** The event Stripe would have sent for this state, as the webhook handler reads it. */
function sweepEvent(
  intent: Stripe.PaymentIntent,
  status: 'succeeded' | 'failed',
  livemode: boolean,
  account: string | null,
): Stripe.Event {
  return {
    id: `sweep_${intent.id}_${status}`,
    object: 'event',
    type: status === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
    livemode,
    ...(account ? { account } : {}),
    created: intent.created,
    data: { object: intent },
  } as unknown as Stripe.Event;
}

function toUnix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
