import type Stripe from 'stripe';
import type { Knex } from 'knex';
import { Form } from '../../../db/models/form.js';
import { Tenant } from '../../../db/models/tenant.js';
import { Transaction } from '../../../db/models/transaction.js';
import { sqlSessionOf } from '../../../db/sql-session.js';
import { inTenantTransaction, type TenantScope } from '../../../db/tenant-scope.js';
import type { PaymentDeps } from '../../payment-deps.js';
import { upsertContact } from '../../contacts.js';
import { statusFromPaymentIntent } from './payment-intent-status.js';
import { applyStatusChange, type StatusChange } from '../../transaction-store.js';
import { isUuid } from '../../../ids.js';
import type { WebhookOutcome } from '../payment-provider.js';
import { recordDeauthorization } from './account-deauthorized.js';
import { inPinnedVersion, withCurrentObject } from './event-version.js';
import { afterFailedRefund, refundFailureOf } from './refund-failure.js';
import { noteRequestTenant } from '../../../observability/request-context.js';

/** What applying an event needs (the webhook route and the reconciliation sweep both pass it). */
export type StripeEventDeps = Pick<PaymentDeps, 'knex' | 'stripe' | 'logger'>;

const HANDLED = new Set([
  'payment_intent.processing',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'refund.failed',
  'refund.updated',
]);

/** Events whose object is fetched again, because a late delivery of one must not undo a later change. */
const READ_AS_IT_IS_NOW = ['charge.dispute.', 'charge.refunded'];

/**
 * Applies one verified Stripe event. The event id is recorded in the same database transaction as
 * its effects, so a replayed event does nothing and a failed one is retried by Stripe.
 */
export async function handleStripeEvent(
  deps: StripeEventDeps,
  received: Stripe.Event,
): Promise<WebhookOutcome> {
  if (received.type === 'account.application.deauthorized') return recordDeauthorization(deps, received);
  if (!HANDLED.has(received.type)) return 'ignored';
  const pinned = await inPinnedVersion(deps.stripe, deps.logger, received);
  // Stripe does not deliver events in the order they happened: a dispute's `updated` can arrive
  // after its `closed`, a `charge.refunded` (or its retry) after the `refund.failed` that undid it.
  // So these events only say "this changed", and the object as Stripe has it now decides (read
  // before the database transaction, as every remote call here).
  // (An event of another API version was fetched again just above: once is enough.)
  const event =
    pinned === received && READ_AS_IT_IS_NOW.some((prefix) => received.type.startsWith(prefix))
      ? await withCurrentObject(deps.stripe, received)
      : pinned;
  // Only a refund that failed changes the payment; other refund updates (a reference number) do not.
  const refundFailure = await refundFailureOf(deps, event);
  if (event.type.startsWith('refund.') && !refundFailure) return 'ignored';
  // A charge whose refunds have all failed since has nothing refunded left to record.
  if (event.type === 'charge.refunded' && (event.data.object as Stripe.Charge).amount_refunded === 0)
    return 'ignored';
  const intent = await paymentIntentOf(deps, event);
  if (!intent) return 'ignored';
  const tenant = await tenantOf(deps.knex, event, intent);
  if (!tenant) {
    deps.logger.warn({ eventId: event.id, type: event.type }, 'webhook for no known tenant');
    return 'ignored';
  }
  const scope: TenantScope = { tenantId: tenant.id, livemode: event.livemode };
  noteRequestTenant(scope);
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const recorded = await trx('processed_webhook_events')
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
    if (recorded.length === 0) return 'duplicate';
    const found = await findTransaction(trx, scope, intent);
    if (found === 'mismatch') {
      deps.logger.warn(
        { eventId: event.id, type: event.type, paymentIntent: intent.id, tenantId: tenant.id },
        'webhook metadata names a transaction of another payment: ignored',
      );
      return 'ignored';
    }
    const transaction = found ?? (await recordMissingPayment(deps, trx, tenant, scope, intent));
    if (!transaction) {
      deps.logger.warn(
        { eventId: event.id, type: event.type, paymentIntent: intent.id, tenantId: tenant.id },
        'webhook for no transaction it can apply to: ignored',
      );
      return 'ignored';
    }
    await applyStatusChange(
      sqlSessionOf(trx),
      transaction,
      refundFailure ? afterFailedRefund(refundFailure, transaction) : changeFor(event, intent, transaction),
    );
    if (refundFailure) {
      await trx('merchant_refunds')
        .where({ tenant_id: tenant.id, provider_refund_id: refundFailure.refund.id })
        .update({ status: 'failed', updated_at: trx.fn.now() });
    }
    return 'processed';
  });
}

function changeFor(
  event: Stripe.Event,
  intent: Stripe.PaymentIntent,
  transaction: Transaction,
): StatusChange {
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    return {
      status: charge.amount_refunded >= charge.amount ? 'refunded' : 'partially_refunded',
      amountRefunded: charge.amount_refunded,
    };
  }
  if (event.type.startsWith('charge.dispute.')) {
    const dispute = event.data.object as Stripe.Dispute;
    return CLOSED_DISPUTE.has(dispute.status) ? disputeClosure(dispute, transaction) : { status: 'disputed' };
  }
  const lastError = intent.last_payment_error;
  return {
    status: event.type === 'payment_intent.succeeded' ? 'succeeded' : statusFromPaymentIntent(intent),
    providerPaymentId: intent.id,
    ...(event.type === 'payment_intent.payment_failed'
      ? {
          status: 'failed' as const,
          failureCode: lastError?.code ?? 'payment_failed',
          declineCode: lastError?.decline_code ?? null,
          failureMessage: lastError?.message ?? 'The payment failed.',
        }
      : {}),
  };
}

/** A dispute in one of these states is over (Stripe's `Dispute.status`); any other is still open. */
const CLOSED_DISPUTE = new Set<Stripe.Dispute.Status>(['won', 'lost', 'warning_closed']);

/**
 * A won dispute gives the money back: the payment is paid again (less what was refunded before).
 * A lost one stays `disputed`, which already told HubSpot; `warning_closed` (an inquiry that never
 * became a dispute) is treated like a win.
 */
function disputeClosure(dispute: Stripe.Dispute, transaction: Transaction): StatusChange {
  if (dispute.status === 'lost') return { status: 'disputed' };
  const refunded = transaction.amountRefunded;
  return {
    status: refunded >= transaction.amount ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'succeeded',
    disputeWon: true,
  };
}

/** Charges and disputes name their PaymentIntent; the intent carries our metadata. */
async function paymentIntentOf(
  deps: StripeEventDeps,
  event: Stripe.Event,
): Promise<Stripe.PaymentIntent | null> {
  const object = event.data.object as { object: string; payment_intent?: string | { id: string } | null };
  if (object.object === 'payment_intent') return object as unknown as Stripe.PaymentIntent;
  const intentRef = object.payment_intent;
  if (!intentRef) return null;
  if (typeof intentRef === 'object') return intentRef as Stripe.PaymentIntent;
  return deps.stripe
    .clientFor(event.livemode)
    .paymentIntents.retrieve(intentRef, {}, event.account ? { stripeAccount: event.account } : {});
}

/**
 * A connected account's events belong to the tenant of that account, whatever its metadata says:
 * another merchant could write any tenant id into metadata. Platform events belong to the tenant
 * named in metadata only if that tenant charges on the platform.
 */
export async function tenantOf(
  knex: Knex,
  event: Stripe.Event,
  intent: Stripe.PaymentIntent,
): Promise<Tenant | undefined> {
  if (event.account) return Tenant.query(knex).where({ stripe_account_id: event.account }).first();
  const tenantId = intent.metadata?.onepagepay_tenant_id;
  if (!tenantId || !isUuid(tenantId)) return undefined;
  const tenant = await Tenant.query(knex).findById(tenantId);
  return tenant && tenant.stripeAccountId === null ? tenant : undefined;
}

/**
 * The transaction an event is about: the one recorded with this PaymentIntent, else the one its
 * metadata names, but only while that one has no payment of its own (the relay died between
 * creating the intent and recording its id). Metadata is written by whoever created the intent, so
 * a transaction already bound to another intent, or of the other mode, is a `mismatch`.
 */
export async function findTransaction(
  trx: Knex.Transaction,
  scope: TenantScope,
  intent: Stripe.PaymentIntent,
): Promise<Transaction | 'mismatch' | undefined> {
  const byIntent = await Transaction.query(trx)
    .where({ tenant_id: scope.tenantId, provider: 'stripe', provider_payment_id: intent.id })
    .first();
  if (byIntent) return byIntent;
  const transactionId = intent.metadata?.onepagepay_transaction_id;
  if (!transactionId || !isUuid(transactionId)) return undefined;
  const named = await Transaction.query(trx).where({ tenant_id: scope.tenantId, id: transactionId }).first();
  if (!named) return undefined;
  // Each statement reads what has committed by then: a concurrent sweep or webhook may have bound
  // this very intent between the two reads above, which is a match, not a mismatch.
  const boundElsewhere = Boolean(named.providerPaymentId) && named.providerPaymentId !== intent.id;
  if (boundElsewhere || named.provider !== 'stripe' || named.livemode !== scope.livemode) return 'mismatch';
  return named;
}

/**
 * The relay charged but died before recording (or the record was lost): rebuild the contact and
 * transaction from Stripe's own data, so no paid charge is ever unrecorded.
 */
async function recordMissingPayment(
  deps: StripeEventDeps,
  trx: Knex.Transaction,
  tenant: Tenant,
  scope: TenantScope,
  intent: Stripe.PaymentIntent,
): Promise<Transaction | undefined> {
  // A connected account writes its own metadata: an id that is not a UUID names no form of ours.
  const formId = intent.metadata?.onepagepay_form_id;
  const form = isUuid(formId)
    ? await Form.query(trx).where({ tenant_id: tenant.id, id: formId }).first()
    : undefined;
  if (!form || typeof intent.customer !== 'string') return undefined;
  const customer = await deps.stripe
    .clientFor(scope.livemode)
    .customers.retrieve(
      intent.customer,
      {},
      tenant.stripeAccountId ? { stripeAccount: tenant.stripeAccountId } : {},
    );
  if (customer.deleted || !customer.email) return undefined;
  const attemptId = intent.metadata?.onepagepay_attempt_id || `webhook_${intent.id}`;
  // An attempt already recorded is another payment's: metadata cannot claim it for this intent.
  const taken = await trx('transactions').where({ tenant_id: tenant.id, attempt_id: attemptId }).first('id');
  if (taken) return undefined;
  const [firstName, ...rest] = (customer.name ?? '').split(' ');
  const contact = await upsertContact(sqlSessionOf(trx), scope, {
    email: customer.email,
    firstName: customer.metadata?.first_name || firstName || customer.email,
    lastName: customer.metadata?.last_name || rest.join(' ') || '-',
    stripeCustomerId: customer.id,
    stripeAccount: tenant.stripeAccountId,
  });
  const transactionId = intent.metadata?.onepagepay_transaction_id;
  const created = await Transaction.query(trx)
    .insert({
      ...(transactionId && isUuid(transactionId) ? { id: transactionId } : {}),
      tenantId: tenant.id,
      livemode: scope.livemode,
      formId: form.id,
      contactId: contact.id,
      attemptId,
      requestFingerprint: 'recovered-from-webhook',
      amount: intent.amount,
      currency: intent.currency.toUpperCase(),
      productName: form.productName,
      provider: 'stripe',
      providerPaymentId: intent.id,
      status: 'processing',
    })
    .returning('*');
  deps.logger.warn(
    { transactionId: created.id, paymentIntent: intent.id },
    'recorded a payment from its webhook',
  );
  return created;
}
