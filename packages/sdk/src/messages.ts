import { isOnePagePayError } from './errors.js';

/** What the payer reads after a failure: what happened and what to do, never a stack trace. */
export function messageFor(error: unknown): string {
  const code = isOnePagePayError(error) ? error.code : '';
  switch (code) {
    case 'card_declined':
    case 'payment_failed':
    case 'validation_error':
      return (error as Error).message;
    case 'payment_authentication_failed':
      return 'Your bank did not confirm the payment. Try again or use another card.';
    case 'provider_unavailable':
      return 'Payments are unavailable right now. You were not charged. Please try again in a few minutes.';
    case 'price_changed':
      return 'The price of this form changed. Please reload the page.';
    case 'network_error':
      return 'We could not reach the payment service. Check your connection and press the button again; you will not be charged twice.';
    default:
      return 'The payment did not go through. Please try again.';
  }
}

export const OUTAGE_MESSAGE =
  'Online payment is unavailable right now, so this form cannot be sent. Please try again later.';

export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  return format.format(amount / 10 ** exponentOf(currency));
}

export function exponentOf(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
