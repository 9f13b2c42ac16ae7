import type { OnePagePayError } from './errors.js';
import { RETRIED, SHOWN_AS_SENT } from './pay-flow.js';

// Whatever the SDK retries (a lost answer, the database failing over, no relay behind the load
// balancer, the same attempt still running) means the same to a payer once retries run out: try
// again, safely. One string keeps the CDN bundle within its budget.
const TRY_AGAIN_SAFELY = 'No answer from the payment service. Try again; you will not be charged twice.';

const MESSAGES: Record<string, string> = {
  payment_authentication_failed: 'Your bank did not confirm the payment. Try again or use another card.',
  provider_unavailable: 'Online payment is unavailable right now. You were not charged. Try again later.',
  price_changed: 'The price changed. Reload the page.',
  form_unreachable: 'The payment form is still loading. You were not charged. Try again.',
};

/** What the payer reads after a failure: what happened and what to do, never a stack trace. */
export function messageFor(error: unknown): string {
  const { code = '', message } = error as OnePagePayError;
  if (SHOWN_AS_SENT.includes(code)) return message;
  if (RETRIED.includes(code)) return TRY_AGAIN_SAFELY;
  return MESSAGES[code] ?? 'The payment did not go through. Try again.';
}

export const OUTAGE_MESSAGE =
  'Online payment is unavailable right now, so this form cannot be sent. Try again later.';

/**
 * The amount as the payer reads it, in the page's language (`<html lang>`, else the browser's).
 * `decimals` is the relay's count for the currency's minor unit (JPY 0, KWD 3; relays before 0.2
 * do not send it, and their currencies are taken as two-decimal).
 */
export function formatAmount(amount: number, currency: string, decimals?: number): string {
  const make = (lang?: string) =>
    new Intl.NumberFormat(lang, {
      style: 'currency',
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  let intl;
  try {
    intl = make(document.documentElement.lang || undefined);
  } catch {
    intl = make(); // a malformed lang attribute
  }
  return intl.format(amount / 10 ** (decimals ?? 2));
}

/** What the payer keeps after paying: the amount and a reference the merchant can find. */
export const receiptFor = (price: string, transactionId: string): string =>
  `Paid ${price}. Receipt ${transactionId.slice(0, 8).toUpperCase()}.`;

/** Frame embed: HubSpot took the form without payment and replaced it with its thank-you. */
export const FORM_CLOSED_MESSAGE = 'This form was sent without payment and is closed; nothing was charged.';
