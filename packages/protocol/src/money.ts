/**
 * Money is an integer in the currency's minor unit plus its ISO 4217 code. These helpers are the
 * only place that knows how many decimals a currency has (the list follows Stripe's, which decides
 * what a charge can be).
 */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export const CURRENCY_PATTERN = '^[A-Z]{3}$';

/** The largest amount Stripe charges in one payment: eight digits of minor units ($999,999.99). */
export const MAX_MINOR_AMOUNT = 99_999_999;

/** How many decimal places the currency's minor unit has: 0 for JPY, 3 for KWD, otherwise 2. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** 1999 USD -> "19.99"; 500 JPY -> "500". A string, so no float ever carries money. */
export function toMajorUnitString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer, got ${amount}`);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** A payer-facing label such as "$19.99" or "¥500", in the given locale. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(Number(toMajorUnitString(amount, currency)));
}
