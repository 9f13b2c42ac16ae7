import { createHash } from 'node:crypto';
import { CheckoutPaymentIntent } from '@paypal/paypal-server-sdk';
import type { CreatePayPalOrderRequest, PayPalOrder } from '@onepagepay/protocol';
import type { Form } from '../../../db/models/form.js';
import type { Tenant } from '../../../db/models/tenant.js';
import { Transaction } from '../../../db/models/transaction.js';
import { inTenantSqlTransaction } from '../../../db/sql-session.js';
import type { TenantScope } from '../../../db/tenant-scope.js';
import { notFound, RelayError } from '../../../errors.js';
import { attemptConflict, decideAmount, resultOrThrow } from '../../create-payment.js';
import { assertOriginAllowed } from '../../own-payment.js';
import type { PaymentDeps } from '../../payment-deps.js';
import { SingleFlight } from '../../singleflight.js';
import { claimAttempt, releaseClaim } from '../../transaction-store.js';
import {
  describePayPalError,
  isUnansweredPayPalError,
  issueOf,
  providerUnavailable,
} from './paypal-failures.js';
import { toPayPalValue } from './paypal-money.js';
import { PAYPAL_SQL } from './paypal-sql.js';
import { noteRequestTenant } from '../../../observability/request-context.js';

const flights = new SingleFlight<PayPalOrder>();

/**
 * PayPal-Request-Id for one call of one attempt. PayPal keeps these keys for hours and answers a
 * repeat with the first result, so a retried create is the same order and a retried capture the
 * same capture. Hashed: PayPal allows 108 characters, a tenant and an attempt id can take 101.
 */
export function payPalRequestId(call: 'order' | 'capture' | 'refund', tenantId: string, key: string): string {
  return `opp-${call}-${createHash('sha256').update(`${tenantId}:${key}`).digest('hex').slice(0, 48)}`;
}

/** `custom_id` of our orders and captures: the webhook finds tenant, form and transaction by it. */
export function customIdOf(transaction: { tenantId: string; formId: string; id: string }): string {
  return `${transaction.tenantId}:${transaction.formId}:${transaction.id}`;
}

/**
 * Creates the PayPal order for one form submission (the Buttons' `createOrder`). The price is the
 * form's; the attempt row is claimed first, as for a card payment, so the order, its capture and
 * its record all hang off one attempt.
 */
export async function createPayPalOrder(
  deps: PaymentDeps,
  request: CreatePayPalOrderRequest,
  origin: string,
): Promise<PayPalOrder> {
  const found = await deps.forms.find(request.tenantId, request.formId);
  if (!found) throw notFound();
  const { tenant, form } = found;
  noteRequestTenant({ tenantId: tenant.id, livemode: form.livemode });
  assertOriginAllowed(tenant, origin);
  if (!form.providers.includes('paypal')) {
    throw new RelayError('provider_not_enabled', 'This form does not take payments with paypal.');
  }
  const amount = decideAmount(form, request.amount);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(['paypal', form.id, amount, form.currency]))
    .digest('hex');
  const flight = flights.run(`${tenant.id}:${request.attemptId}`, fingerprint, () =>
    createOnce(deps, { tenant, form, request, amount, fingerprint }),
  );
  if (!flight.sameRequest) throw attemptConflict();
  return flight.promise;
}

interface OrderContext {
  tenant: Tenant;
  form: Form;
  request: CreatePayPalOrderRequest;
  amount: number;
  fingerprint: string;
}

async function createOnce(deps: PaymentDeps, context: OrderContext): Promise<PayPalOrder> {
  const { tenant, form, request, amount } = context;
  const scope: TenantScope = { tenantId: tenant.id, livemode: form.livemode };
  const account = deps.paypal.accountFor(form.livemode);
  const { transaction, claimed } = await inTenantSqlTransaction(deps.knex, scope, (sql) =>
    claimAttempt(sql, scope, {
      formId: form.id,
      attemptId: request.attemptId,
      requestFingerprint: context.fingerprint,
      amount,
      currency: form.currency,
      productName: form.productName,
      provider: 'paypal',
      hutk: request.hutk ?? null,
      pageUri: request.pageUri ?? null,
    }),
  );
  if (transaction.requestFingerprint !== context.fingerprint) throw attemptConflict();
  if (transaction.providerOrderId) {
    if (claimed) await releaseClaim(deps.knex, transaction);
    return orderOf(transaction, transaction.providerOrderId);
  }
  if (!claimed) {
    if (transaction.status === 'failed') resultOrThrow(transaction);
    throw new RelayError('attempt_in_progress', 'This payment is still being processed. Retry in a moment.');
  }
  let orderId: string;
  try {
    const { result } = await account.orders.createOrder({
      paypalRequestId: payPalRequestId('order', tenant.id, request.attemptId),
      prefer: 'return=minimal',
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [
          {
            referenceId: 'default',
            amount: { currencyCode: form.currency, value: toPayPalValue(amount, form.currency) },
            description: form.productName.slice(0, 127),
            customId: customIdOf(transaction),
            invoiceId: transaction.id,
            ...(tenant.paypalMerchantId ? { payee: { merchantId: tenant.paypalMerchantId } } : {}),
          },
        ],
      },
    });
    if (!result.id) throw new Error('PayPal answered an order without an id');
    orderId = result.id;
  } catch (error) {
    // The claim is released either way: the same request id later returns PayPal's first answer.
    await releaseClaim(deps.knex, transaction);
    if (error instanceof RelayError) throw error;
    deps.logger.warn(
      { paypal: describePayPalError(error), transactionId: transaction.id },
      'paypal order failed',
    );
    if (isUnansweredPayPalError(error)) throw providerUnavailable();
    throw new RelayError('payment_failed', 'PayPal refused to create the order.', {
      ...(issueOf(error) ? { declineCode: issueOf(error) as string } : {}),
    });
  }
  const recorded = await inTenantSqlTransaction(deps.knex, scope, async (sql) => {
    const [row] = await sql.rows(PAYPAL_SQL.recordOrder, [tenant.id, transaction.id, orderId]);
    return Transaction.fromDatabaseJson(row as Record<string, unknown>);
  });
  return orderOf(recorded, orderId);
}

function orderOf(transaction: Transaction, orderId: string): PayPalOrder {
  return {
    orderId,
    transactionId: transaction.id,
    amount: transaction.amount,
    currency: transaction.currency,
  };
}
