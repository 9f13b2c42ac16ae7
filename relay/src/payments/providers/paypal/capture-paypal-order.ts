import type { Order } from '@paypal/paypal-server-sdk';
import type { CapturePayPalOrderRequest, PaymentResult } from '@onepagepay/protocol';
import { SETTLED_STATUSES, type Transaction } from '../../../db/models/transaction.js';
import { Tenant } from '../../../db/models/tenant.js';
import { inTenantSqlTransaction } from '../../../db/sql-session.js';
import { notFound, RelayError } from '../../../errors.js';
import { resultOrThrow } from '../../create-payment.js';
import { assertOriginAllowed } from '../../own-payment.js';
import type { PaymentDeps } from '../../payment-deps.js';
import { SingleFlight } from '../../singleflight.js';
import { findTransaction } from '../../transaction-store.js';
import { payPalRequestId } from './create-paypal-order.js';
import { captureRefusal, describePayPalError, issueOf } from './paypal-failures.js';
import { recordCapture, type CaptureFacts, type PayerFacts } from './record-capture.js';

const flights = new SingleFlight<PaymentResult>();

/**
 * Captures the order the payer approved (the Buttons' `onApprove`) and records it. A double click,
 * a retry or a second relay process sends the same PayPal-Request-Id, so PayPal captures once and
 * answers every copy with that one capture.
 */
export async function capturePayPalOrder(
  deps: PaymentDeps,
  orderId: string,
  request: CapturePayPalOrderRequest,
  origin: string,
): Promise<PaymentResult> {
  const tenant = await Tenant.query(deps.knex).findById(request.tenantId);
  if (!tenant) throw notFound();
  assertOriginAllowed(tenant, origin);
  const transaction = await findTransaction(
    deps.knex,
    { tenantId: tenant.id },
    { attempt_id: request.attemptId },
  );
  // The attempt id is the caller's proof that the order is its own; any mismatch is the same 404.
  if (!transaction || transaction.provider !== 'paypal' || transaction.providerOrderId !== orderId) {
    throw notFound();
  }
  if (SETTLED_STATUSES.has(transaction.status)) return resultOrThrow(transaction);
  return flights.run(`${tenant.id}:${request.attemptId}`, orderId, () =>
    captureOnce(deps, transaction, orderId),
  ).promise;
}

async function captureOnce(
  deps: PaymentDeps,
  transaction: Transaction,
  orderId: string,
): Promise<PaymentResult> {
  const account = deps.paypal.accountFor(transaction.livemode);
  let order: Order;
  try {
    ({ result: order } = await account.orders.captureOrder({
      id: orderId,
      paypalRequestId: payPalRequestId('capture', transaction.tenantId, transaction.attemptId),
      prefer: 'return=representation',
    }));
  } catch (error) {
    // Captured already under another request id (say, by PayPal's own retry of a lost answer):
    // the order says how, and that capture is the one recorded.
    if (issueOf(error) !== 'ORDER_ALREADY_CAPTURED') {
      deps.logger.warn(
        { paypal: describePayPalError(error), transactionId: transaction.id },
        'paypal capture refused',
      );
      throw captureRefusal(error);
    }
    ({ result: order } = await account.orders.getOrder({ id: orderId }));
  }
  const capture = captureOf(order);
  if (!capture) throw new RelayError('payment_failed', 'PayPal answered the capture without a payment.');
  const recorded = await inTenantSqlTransaction(deps.knex, transaction, (sql) =>
    recordCapture(sql, transaction, transaction, capture, payerOf(order)),
  );
  return resultOrThrow(recorded);
}

export function captureOf(order: Order): CaptureFacts | undefined {
  const capture = order.purchaseUnits?.[0]?.payments?.captures?.[0];
  if (!capture?.id) return undefined;
  return { captureId: capture.id, status: capture.status ?? 'PENDING' };
}

/** PayPal names the payer in `payment_source.paypal` (and, deprecated, in `payer`). */
export function payerOf(order: Order): PayerFacts | undefined {
  const wallet = order.paymentSource?.paypal;
  const email = wallet?.emailAddress ?? order.payer?.emailAddress;
  if (!email) return undefined;
  return {
    email,
    givenName: wallet?.name?.givenName ?? order.payer?.name?.givenName,
    surname: wallet?.name?.surname ?? order.payer?.name?.surname,
  };
}
