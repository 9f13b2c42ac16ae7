import type { PaymentResult } from '@onepagepay/protocol';
import type { OnePagePayErrorCode } from './errors.js';

/** What every event's detail carries: the HubSpot form and the price's currency (ISO 4217). */
interface FormEventDetail {
  formId: string;
  currency: string;
}

/** `onepagepay:ready`: the payment step is mounted and the payer can pay. */
export type ReadyEventDetail = FormEventDetail;

/** `onepagepay:payment-started`: the payer pressed pay; `amount` in the currency's minor unit. */
export interface PaymentStartedEventDetail extends FormEventDetail {
  amount: number;
}

/** `onepagepay:payment-succeeded`: paid; the form is being submitted with `transactionId`. */
export interface PaymentSucceededEventDetail extends FormEventDetail {
  transactionId: string;
  status: PaymentResult['status'];
  amount: number;
}

/** `onepagepay:payment-failed`: nothing was charged; `message` is what the payer was shown. */
export interface PaymentFailedEventDetail extends FormEventDetail {
  /** card_declined, provider_unavailable, network_error, ... (`unknown` for an unexpected error) */
  code: OnePagePayErrorCode;
  /** The card issuer's reason for a decline, e.g. insufficient_funds. */
  declineCode?: string;
  message: string;
}

/** Each SDK event's name and its exact type, for `addEventListener` on elements, document and window. */
export interface OnePagePayEventMap {
  'onepagepay:ready': CustomEvent<ReadyEventDetail>;
  'onepagepay:payment-started': CustomEvent<PaymentStartedEventDetail>;
  'onepagepay:payment-succeeded': CustomEvent<PaymentSucceededEventDetail>;
  'onepagepay:payment-failed': CustomEvent<PaymentFailedEventDetail>;
}

export type OnePagePayEventName = keyof OnePagePayEventMap;

/** The detail of any SDK event. */
export type OnePagePayEventDetail = OnePagePayEventMap[OnePagePayEventName]['detail'];

// The events bubble and are composed, so listeners on the form, the document or the window get them
// typed, as `click` is: `form.addEventListener('onepagepay:payment-failed', (e) => e.detail.code)`.
// Empty interfaces that only extend are how a global event map is augmented.
/* eslint-disable @typescript-eslint/no-empty-object-type */
declare global {
  interface HTMLElementEventMap extends OnePagePayEventMap {}
  interface DocumentEventMap extends OnePagePayEventMap {}
  interface WindowEventMap extends OnePagePayEventMap {}
}
/* eslint-enable @typescript-eslint/no-empty-object-type */

/** Bubbles and crosses shadow roots, so GTM's listeners on the document see it. */
export function dispatchPaymentEvent<Name extends OnePagePayEventName>(
  targets: Array<EventTarget | null | undefined>,
  name: Name,
  detail: OnePagePayEventMap[Name]['detail'],
): void {
  for (const target of new Set(targets)) {
    target?.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
