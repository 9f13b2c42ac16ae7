import type { OnePagePayError } from './errors.js';

const MESSAGES: Record<string, string> = {
  payment_authentication_failed: 'Your bank did not confirm the payment. Try again or use another card.',
  provider_unavailable: 'Payments are unavailable right now. You were not charged. Try again shortly.',
  price_changed: 'The price of this form changed. Please reload the page.',
  form_unreachable: 'The form is still loading. You were not charged. Try again in a moment.',
  database_unavailable:
    'Payments are briefly unavailable. Try again in a few seconds; you will not be charged twice.',
  relay_unavailable:
    'Payments are briefly unavailable. Try again in a few seconds; you will not be charged twice.',
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

/** Formats minor units in the payer's locale; the currency's own exponent (JPY 0, KWD 3) applies. */
export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}
