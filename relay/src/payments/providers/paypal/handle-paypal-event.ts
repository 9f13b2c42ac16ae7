import type { Knex } from 'knex';
import { Form } from '../../../db/models/form.js';
import { Tenant } from '../../../db/models/tenant.js';
import { Transaction } from '../../../db/models/transaction.js';
import { sqlSessionOf } from '../../../db/sql-session.js';
import { inTenantTransaction, type TenantScope } from '../../../db/tenant-scope.js';
import { isUuid } from '../../../ids.js';
import type { PaymentDeps } from '../../payment-deps.js';
import { applyStatusChange } from '../../transaction-store.js';
import { payerOf } from './capture-paypal-order.js';
import type { PayPalAccount } from './paypal-accounts.js';
import { fromPayPalValue } from './paypal-money.js';
import { PAYPAL_SQL } from './paypal-sql.js';
import { recordCapture } from './record-capture.js';
import type { PayPalWebhookEvent } from './verify-paypal-webhook.js';
import type { WebhookOutcome } from '../payment-provider.js';
import { noteRequestTenant } from '../../../observability/request-context.js';

const CAPTURE_EVENTS = new Set([
  'PAYMENT.CAPTURE.COMPLETED',
  'PAYMENT.CAPTURE.DENIED',
  'PAYMENT.CAPTURE.PENDING',
]);
const REFUND_EVENT = 'PAYMENT.CAPTURE.REFUNDED';

interface Money {
  value?: string;
  currency_code?: string;
}

interface PayPalResource {
  id?: string;
  status?: string;
  custom_id?: string;
  amount?: Money;
  payee?: { merchant_id?: string };
  supplementary_data?: { related_ids?: { order_id?: string } };
  seller_payable_breakdown?: { total_refunded_amount?: Money };
  links?: Array<{ rel?: string; href?: string }>;
}

/** `custom_id` of our orders: `<tenant id>:<form id>:<transaction id>` (create-paypal-order.ts). */
function parseCustomId(customId: string | undefined) {
  const [tenantId, formId, transactionId] = (customId ?? '').split(':');
  if (!isUuid(tenantId ?? '') || !isUuid(formId ?? '') || !isUuid(transactionId ?? '')) return undefined;
  return { tenantId: tenantId as string, formId: formId as string, transactionId: transactionId as string };
}

/**
 * Applies one verified PayPal event: captures completed, pending or denied, and refunds. The event
 * id is recorded in the same database transaction as its effects, so a redelivered event does
 * nothing and one that failed is retried by PayPal. A capture the relay never recorded (it died
 * between PayPal's answer and its own commit) is recorded from the event and its order.
 */
export async function handlePayPalEvent(
  deps: PaymentDeps,
  account: PayPalAccount,
  event: PayPalWebhookEvent,
): Promise<WebhookOutcome> {
  const isCapture = CAPTURE_EVENTS.has(event.event_type);
  if (!isCapture && event.event_type !== REFUND_EVENT) return 'ignored';
  const resource = event.resource as PayPalResource;
  const ids = parseCustomId(resource.custom_id);
  const tenant = ids ? await Tenant.query(deps.knex).findById(ids.tenantId) : undefined;
  // A hosted tenant's payments go to its own merchant account: an event for another payee is not its.
  const payee = resource.payee?.merchant_id;
  if (!ids || !tenant || (tenant.paypalMerchantId && payee && payee !== tenant.paypalMerchantId)) {
    deps.logger.warn({ eventId: event.id, type: event.event_type }, 'paypal webhook for no known tenant');
    return 'ignored';
  }
  const scope: TenantScope = { tenantId: tenant.id, livemode: account.livemode };
  noteRequestTenant(scope);
  const captureId = isCapture ? resource.id : captureIdOfRefund(resource);
  const orderId = resource.supplementary_data?.related_ids?.order_id;
  // Read before the database transaction: PGlite has one connection, and PayPal may be slow.
  const order = isCapture && orderId ? (await account.orders.getOrder({ id: orderId })).result : undefined;
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const recorded = await trx('processed_webhook_events')
      .insert({
        provider: 'paypal',
        event_id: event.id,
        event_type: event.event_type,
        tenant_id: tenant.id,
        livemode: scope.livemode,
      })
      .onConflict(['provider', 'event_id'])
      .ignore()
      .returning('event_id');
    if (recorded.length === 0) return 'duplicate';
    const sql = sqlSessionOf(trx);
    const [row] = await sql.rows(PAYPAL_SQL.findByPayPalIds, [
      tenant.id,
      captureId ?? null,
      orderId ?? null,
      ids.transactionId,
    ]);
    let transaction = row ? Transaction.fromDatabaseJson(row) : undefined;
    if (isCapture) {
      transaction ??= await recordMissingTransaction(deps, trx, scope, ids, resource, orderId);
      if (!transaction || !captureId) return 'ignored';
      await recordCapture(
        sql,
        scope,
        transaction,
        { captureId, status: resource.status ?? '' },
        order ? payerOf(order) : undefined,
      );
      return 'processed';
    }
    if (!transaction) return 'ignored';
    const refunded = totalRefunded(transaction, resource);
    await applyStatusChange(sql, transaction, {
      status: refunded >= transaction.amount ? 'refunded' : 'partially_refunded',
      amountRefunded: refunded,
    });
    return 'processed';
  });
}

function captureIdOfRefund(refund: PayPalResource): string | undefined {
  const up = refund.links?.find((link) => link.rel === 'up')?.href;
  return up?.match(/\/captures\/([^/?]+)/)?.[1];
}

/** PayPal's running total when it sends one; otherwise what was recorded plus this refund. */
function totalRefunded(transaction: Transaction, refund: PayPalResource): number {
  const total = fromPayPalValue(
    refund.seller_payable_breakdown?.total_refunded_amount?.value,
    transaction.currency,
  );
  if (total !== undefined) return total;
  return transaction.amountRefunded + (fromPayPalValue(refund.amount?.value, transaction.currency) ?? 0);
}

/** The transaction row itself is gone (or was never committed): rebuild it from PayPal's data. */
async function recordMissingTransaction(
  deps: PaymentDeps,
  trx: Knex.Transaction,
  scope: TenantScope,
  ids: { formId: string; transactionId: string },
  capture: PayPalResource,
  orderId: string | undefined,
): Promise<Transaction | undefined> {
  const form = await Form.query(trx).where({ tenant_id: scope.tenantId, id: ids.formId }).first();
  const currency = capture.amount?.currency_code;
  const amount = currency ? fromPayPalValue(capture.amount?.value, currency) : undefined;
  if (!form || !currency || !amount || !capture.id) return undefined;
  const created = await Transaction.query(trx)
    .insert({
      id: ids.transactionId,
      tenantId: scope.tenantId,
      livemode: scope.livemode,
      formId: form.id,
      attemptId: `webhook_${capture.id}`,
      requestFingerprint: 'recovered-from-webhook',
      amount,
      currency,
      productName: form.productName,
      provider: 'paypal',
      providerOrderId: orderId ?? null,
      status: 'processing',
    })
    .returning('*');
  deps.logger.warn(
    { transactionId: created.id, captureId: capture.id },
    'recorded a paypal capture from its webhook',
  );
  return created;
}
