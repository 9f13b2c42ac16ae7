import type { OnePagePayError } from './errors.js';

const MESSAGES: Record<string, string> = {
  payment_authentication_failed: 'Your bank did not confirm the payment. Try again or use another card.',
  provider_unavailable: 'Payments are unavailable right now. You were not charged. Try again shortly.',
  price_changed: 'The price of this form changed. Please reload the page.',
  form_unreachable: 'The form is still loading. You were not charged. Try again in a moment.',
  network_error:
    'No answer from the payment service. Check your connection and try again; you will not be charged twice.',
};

/** What the payer reads after a failure: what happened and what to do, never a stack trace. */
export function messageFor(error: unknown): string {
  const { code = '', message } = error as OnePagePayError;
  if (['card_declined', 'payment_failed', 'validation_error'].includes(code)) return message;
  return MESSAGES[code] ?? 'The payment did not go through. Please try again.';
}

export const OUTAGE_MESSAGE =
  'Online payment is unavailable right now, so this form cannot be sent. Try again later.';

/**
 * The amount as the payer reads it, in the page's language (`<html lang>`, else the browser's).
 * `decimals` is the relay's count for the currency (JPY 0, KWD 3); Intl's is the fallback.
 */
export function formatAmount(amount: number, currency: string, decimals?: number): string {
  const format = (lang?: string) => {
    const digits = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
    const intl = new Intl.NumberFormat(lang, { style: 'currency', currency, ...digits });
    return intl.format(amount / 10 ** (decimals ?? intl.resolvedOptions().maximumFractionDigits!));
  };
  try {
    return format(document.documentElement.lang || undefined);
  } catch {
    return format(); // a malformed lang attribute
  }
}

/** What the payer keeps after paying: the amount and a reference the merchant can find. */
export const receiptFor = (price: string, transactionId: string): string =>
  `Paid ${price}. Receipt reference: ${transactionId.slice(0, 8).toUpperCase()}.`;

/** Frame embed: HubSpot took the form without payment and replaced it with its thank-you. */
export const FORM_CLOSED_MESSAGE =
  'This form was sent without payment and is closed; nothing was charged. Reload the page to pay.';
