// The package's only public surface. Importing it does nothing: no window access, no script loads.
export { attach, attachAll, type AttachHandle, type AttachOptions, type CommonOptions } from './attach.js';
export { attachForm, type AttachFormHandle, type AttachFormOptions } from './attach-form.js';
export { OnePagePayError, isOnePagePayError, type OnePagePayErrorCode } from './errors.js';
export type {
  OnePagePayEventDetail,
  OnePagePayEventMap,
  OnePagePayEventName,
  PaymentFailedEventDetail,
  PaymentStartedEventDetail,
  PaymentSucceededEventDetail,
  ReadyEventDetail,
} from './events.js';
export { formElementOf } from './hubspot/v2-host.js';
export { TRANSACTION_FIELD, STATUS_FIELD, type Contact, type FormHost } from './hubspot/form-host.js';
export type {
  MountOptions,
  PaymentProvider,
  PaymentProviderFactory,
  PaymentSource,
  TokenizeResult,
} from './providers/payment-provider.js';
export { stripeProvider } from './providers/stripe-provider.js';
export { paypalProvider } from './providers/paypal-provider.js';
export { besideCard } from './providers/beside-card.js';
export { withChallenge } from './providers/with-challenge.js';
export { createRelayClient, type RelayClient } from './relay-client.js';

/** The SDK's version, set at build time. */
export const VERSION: string =
  typeof __ONEPAGEPAY_VERSION__ === 'string' ? __ONEPAGEPAY_VERSION__ : '0.0.0-source';
declare const __ONEPAGEPAY_VERSION__: string | undefined;
