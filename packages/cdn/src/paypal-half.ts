// The lazy half of the CDN script: PayPal's buttons and @paypal/paypal-js. The core fetches it only
// for a form that takes PayPal (paypal-lazy.ts) and finds the provider on its own global.
import { paypalProvider } from '@onepagepay/sdk';

const api = (window as unknown as { OnePagePay?: { paypal?: typeof paypalProvider } }).OnePagePay;
if (api) api.paypal = paypalProvider;
