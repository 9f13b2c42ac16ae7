import { invalidParam, invalidRequest } from './errors.js';

/** Currencies whose minor unit is the major unit (no cents), per Stripe's list. */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Stripe's minimum charge amounts in minor units for the common currencies; others default to 50. */
const MINIMUMS: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  chf: 50,
  nzd: 50,
  sgd: 50,
  hkd: 400,
  jpy: 50,
  mxn: 1000,
  brl: 50,
  dkk: 250,
  nok: 300,
  sek: 300,
  pln: 200,
  czk: 1500,
  huf: 17500,
  inr: 50,
  myr: 200,
  thb: 1000,
};

const SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£', jpy: '¥', cad: '$', aud: '$' };

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL.has(currency);
}

/** Formats minor units as Stripe does in messages: `$0.50`, `¥50`. */
export function formatAmount(amount: number, currency: string): string {
  const symbol = SYMBOLS[currency] ?? '';
  return isZeroDecimal(currency) ? `${symbol}${amount}` : `${symbol}${(amount / 100).toFixed(2)}`;
}

export function readCurrency(value: string): string {
  const currency = value.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency) || !ISO_CURRENCIES.has(currency)) {
    throw invalidParam(
      `Invalid currency: ${value}. Stripe currently supports these currencies: usd, eur, gbp, ...`,
      'currency',
    );
  }
  return currency;
}

export function checkAmount(amount: number, currency: string): void {
  if (amount < 1) {
    throw invalidParam(
      'This value must be greater than or equal to 1.',
      'amount',
      'parameter_invalid_integer',
    );
  }
  if (amount > 99999999) {
    throw invalidRequest('Amount must be no more than $999,999.99', {
      code: 'amount_too_large',
      param: 'amount',
      saved: false,
    });
  }
  const minimum = MINIMUMS[currency] ?? 50;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, {
      code: 'amount_too_small',
      param: 'amount',
      saved: false,
    });
  }
}
