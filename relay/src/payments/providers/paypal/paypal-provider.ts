import type { PaymentProvider } from '../payment-provider.js';
import { handlePayPalEvent } from './handle-paypal-event.js';
import { refundWithPayPal } from './refund-with-paypal.js';
import { sweepPayPal } from './sweep-paypal.js';
import { verifyPayPalWebhook } from './verify-paypal-webhook.js';

/**
 * PayPal: orders are created and captured through their own routes (`routes/paypal.ts`, the PayPal
 * Buttons' two calls), so it has no card payments here; refunds and webhooks go through the seam.
 */
export const paypalProvider: PaymentProvider = {
  name: 'paypal',
  label: 'PayPal',
  publicConfig({ paypal }, tenant, livemode) {
    const credentials = paypal.credentialsFor(livemode);
    const sdkUrl = paypal.jsSdkUrl();
    // Only the client id is public (the JS SDK loads with it); the secret and webhook id never leave.
    return credentials
      ? { clientId: credentials.clientId, merchantId: tenant.paypalMerchantId, ...(sdkUrl ? { sdkUrl } : {}) }
      : null;
  },
  refund: (deps, request) => refundWithPayPal(deps.paypal, request),
  async receiveWebhook(deps, raw, header) {
    // PayPal checks the signature over the bytes it sent, so they are passed back unparsed.
    const { event, account } = await verifyPayPalWebhook(deps.paypal, raw, header);
    return handlePayPalEvent(deps, account, event);
  },
  probe({ paypal }) {
    const account = paypal.configuredModes().at(-1);
    // Probed only where configured: a card-only relay reports no PayPal outage.
    return account ? () => account.probeHealth() : undefined;
  },
  sweep: sweepPayPal,
};
