import type { PaymentProvider } from '../payment-provider.js';
import { handlePayPalEvent } from './handle-paypal-event.js';
import { refundWithPayPal } from './refund-with-paypal.js';
import { verifyPayPalWebhook } from './verify-paypal-webhook.js';

/**
 * PayPal: orders are created and captured through their own routes (`routes/paypal.ts`, the PayPal
 * Buttons' two calls), so it has no card payments here; refunds and webhooks go through the seam.
 */
export const paypalProvider: PaymentProvider = {
  name: 'paypal',
  refund: (deps, request) => refundWithPayPal(deps.paypal, request),
  async receiveWebhook(deps, raw, header) {
    // PayPal checks the signature over the bytes it sent, so they are passed back unparsed.
    const { event, account } = await verifyPayPalWebhook(deps.paypal, raw, header);
    return handlePayPalEvent(deps, account, event);
  },
};
