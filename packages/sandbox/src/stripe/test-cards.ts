/** What confirming a payment with a test card does. */
export type CardOutcome =
  | { kind: 'succeed'; refundFails?: true }
  | { kind: 'authenticate' }
  /** Sandbox only: the payment stays `processing` until the test settles it (settleAsyncPayments). */
  | { kind: 'async'; result: 'succeed' | 'fail' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string; param?: string };

function decline(declineCode: string, message = 'Your card was declined.'): CardOutcome {
  return { kind: 'decline', code: 'card_declined', declineCode, message };
}

/** Stripe's documented test card numbers and what each one does. Any other valid number succeeds. */
export const TEST_CARDS: Readonly<Record<string, CardOutcome>> = {
  '4242424242424242': { kind: 'succeed' },
  '5555555555554444': { kind: 'succeed' },
  '378282246310005': { kind: 'succeed' },
  '4000002500003155': { kind: 'authenticate' },
  '4000002760003184': { kind: 'authenticate' },
  '4000000000003220': { kind: 'authenticate' },
  // Sandbox-only numbers: a payment method that settles later, as bank debits do at Stripe
  // (payment_intent.processing, then payment_intent.succeeded or payment_intent.payment_failed).
  '4000000000007700': { kind: 'async', result: 'succeed' },
  '4000000000007718': { kind: 'async', result: 'fail' },
  // Stripe's "asynchronous refund failure" card: a refund starts `succeeded`, then fails later
  // (refund.failed); here when the test calls settleAsyncPayments().
  '4000000000005126': { kind: 'succeed', refundFails: true },
  '4000000000000002': decline('generic_decline'),
  '4000000000009995': decline('insufficient_funds', 'Your card has insufficient funds.'),
  '4000000000009987': decline('lost_card'),
  '4000000000009979': decline('stolen_card'),
  '4100000000000019': decline('fraudulent'),
  '4000000000000069': {
    kind: 'decline',
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
  },
  '4000000000000127': {
    kind: 'decline',
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
    param: 'cvc',
  },
  '4000000000000119': {
    kind: 'decline',
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

export function outcomeOf(number: string): CardOutcome {
  return TEST_CARDS[number] ?? { kind: 'succeed' };
}

export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): string {
  const two = Number(number.slice(0, 2));
  const four = Number(number.slice(0, 4));
  if (number.startsWith('4')) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (number.startsWith('6011') || number.startsWith('65')) return 'discover';
  if (two === 35) return 'jcb';
  if (two === 36 || two === 30 || two === 38) return 'diners';
  if (two === 62) return 'unionpay';
  return 'unknown';
}
