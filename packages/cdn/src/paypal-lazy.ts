// Stands in for the SDK's PayPal provider in the CDN script (the build swaps it in), so the core
// carries neither PayPal's loader nor the buttons' code: a form that takes PayPal fetches
// onepagepay-paypal-<version>.min.js from beside this script, once, and gets the real provider.
// (It imports nothing of the SDK's values: the SDK's attach module imports it.)
// A page that loads this script with `integrity` gets the half pinned too: the build puts the
// half's sha384 in here (scripts/build.mjs builds the half first).
import type { PaymentProvider, PaymentProviderFactory } from '@onepagepay/sdk';

declare const __ONEPAGEPAY_VERSION__: string;
declare const __ONEPAGEPAY_PAYPAL_INTEGRITY__: string;

type Global = { OnePagePay?: { paypal?: PaymentProviderFactory } };

// Read while this script runs: later, document.currentScript is some other script or null.
const script = document.currentScript as HTMLScriptElement | null;
const scriptSrc = script?.src;
const pinned = !!script?.integrity;
let load: Promise<PaymentProviderFactory> | undefined;

/** One <script> for the PayPal half; a failed one is removed and forgotten, so the next form retries. */
function loadPayPalHalf(nonce: string | undefined): Promise<PaymentProviderFactory> {
  load ??= new Promise<PaymentProviderFactory>((resolve, reject) => {
    const tag = document.createElement('script');
    tag.src = new URL(`onepagepay-paypal-${__ONEPAGEPAY_VERSION__}.min.js`, scriptSrc ?? location.href).href;
    if (nonce) tag.nonce = nonce;
    if (pinned) {
      // SRI on a file from another origin needs a CORS fetch, as the core's own tag does.
      tag.integrity = __ONEPAGEPAY_PAYPAL_INTEGRITY__;
      tag.crossOrigin = 'anonymous';
    }
    const failed = () => {
      tag.remove();
      load = undefined;
      // A OnePagePayError by its name and code (isOnePagePayError matches on the name).
      // (A file that does not match its integrity fails the same way: the browser refuses it.)
      const error = Object.assign(new Error(`Could not load ${tag.src}.`), { name: 'OnePagePayError' });
      reject(Object.assign(error, { code: 'provider_load_failed' }));
    };
    tag.onerror = failed;
    tag.onload = () => {
      const factory = (window as Global).OnePagePay?.paypal;
      if (factory) resolve(factory);
      else failed();
    };
    document.head.append(tag);
  });
  return load;
}

export const paypalProvider: PaymentProviderFactory = (config) => {
  if (!config.paypal || !config.providers.includes('paypal')) return null;
  let real: PaymentProvider | null = null;
  let destroyed = false;
  return {
    name: 'paypal',
    // Known before the half loads: beside a frame embed the step then adds no Pay button.
    ownButton: true,
    async mount(slot, options) {
      const create = await loadPayPalHalf(options.nonce);
      if (destroyed) return;
      real = create(config);
      await real?.mount(slot, options);
    },
    // Both are only called once mount() resolved.
    tokenize: (billing) => real!.tokenize(billing),
    handleNextAction: (clientSecret) => real!.handleNextAction(clientSecret),
    destroy() {
      destroyed = true;
      real?.destroy();
    },
  };
};
