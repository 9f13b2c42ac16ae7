import { ApiError } from '@paypal/paypal-server-sdk';
import type { ProviderRefund, ProviderRefundRequest } from '../refund-at-provider.js';
import { payPalRequestId } from './create-paypal-order.js';
import type { PayPalAccounts } from './paypal-accounts.js';
import { describePayPalError, issueOf } from './paypal-failures.js';
import { toPayPalValue } from './paypal-money.js';

/**
 * `POST /v2/payments/captures/{id}/refund` with a PayPal-Request-Id from our refund id, so a retry
 * of the same refund is answered with PayPal's first refund rather than refunding twice.
 */
export async function refundWithPayPal(
  paypal: PayPalAccounts,
  request: ProviderRefundRequest,
): Promise<ProviderRefund> {
  try {
    const { result } = await paypal.accountFor(request.livemode).payments.refundCapturedPayment({
      captureId: request.providerPaymentId,
      paypalRequestId: payPalRequestId('refund', request.tenantId, request.refundId),
      prefer: 'return=representation',
      body: {
        amount: { currencyCode: request.currency, value: toPayPalValue(request.amount, request.currency) },
        invoiceId: request.refundId,
      },
    });
    if (!result.id) throw new Error('PayPal answered a refund without an id');
    // PENDING means PayPal took the refund and will complete it (an eCheck); FAILED and CANCELLED did not.
    return {
      id: result.id,
      status: result.status === 'FAILED' || result.status === 'CANCELLED' ? 'failed' : 'succeeded',
    };
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500) {
      // The refunds module reads `statusCode` and the message; PayPal's issue code says why.
      throw Object.assign(new Error(`PayPal refused the refund: ${issueOf(error) ?? error.statusCode}.`), {
        statusCode: error.statusCode,
      });
    }
    // Not the error itself: its request carries the access token, and callers log their causes.
    throw new Error(`PayPal did not answer the refund: ${JSON.stringify(describePayPalError(error))}`);
  }
}
