/** Details of the SDK's DOM events, dispatched on the form element (or the v4 frame container). */
export interface OnePagePayEventDetail {
  formId: string;
  amount?: number;
  currency?: string;
  transactionId?: string;
  status?: string;
  /** Error code for payment-failed: card_declined, provider_unavailable, network_error, ... */
  code?: string;
  declineCode?: string;
  message?: string;
}

export interface OnePagePayEventMap {
  'onepagepay:ready': CustomEvent<OnePagePayEventDetail>;
  'onepagepay:payment-started': CustomEvent<OnePagePayEventDetail>;
  'onepagepay:payment-succeeded': CustomEvent<OnePagePayEventDetail>;
  'onepagepay:payment-failed': CustomEvent<OnePagePayEventDetail>;
}

export type OnePagePayEventName = keyof OnePagePayEventMap;

/** Bubbles and crosses shadow roots, so GTM's listeners on the document see it. */
export function dispatchPaymentEvent(
  targets: Array<EventTarget | null | undefined>,
  name: OnePagePayEventName,
  detail: OnePagePayEventDetail,
): void {
  for (const target of new Set(targets)) {
    target?.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
