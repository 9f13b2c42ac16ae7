import { ISSUES, invalidRequest, unprocessable } from './errors.js';

/** Currencies PayPal accepts, with their decimal places (HUF, JPY and TWD take none at PayPal). */
const DECIMALS: Record<string, number> = Object.fromEntries([
  ...'AUD BRL CAD CNY CZK DKK EUR HKD ILS MYR MXN NZD NOK PHP PLN GBP SGD SEK CHF THB USD'
    .split(' ')
    .map((code) => [code, 2]),
  ['HUF', 0],
  ['JPY', 0],
  ['TWD', 0],
]);

export interface Money {
  currency_code: string;
  value: string;
}

/** Reads a `money` object into minor units, refusing what PayPal refuses. */
export function readMoney(
  input: unknown,
  field: string,
  issues: Partial<typeof ISSUES.create> = ISSUES.create,
) {
  const money = input as Partial<Money> | undefined;
  if (typeof money?.currency_code !== 'string' || typeof money.value !== 'string') {
    throw invalidRequest({
      issue: 'MISSING_REQUIRED_PARAMETER',
      description: ISSUES.create.MISSING_REQUIRED_PARAMETER,
      field,
      location: 'body',
    });
  }
  const decimals = DECIMALS[money.currency_code];
  if (decimals === undefined) {
    throw unprocessable({
      issue: 'INVALID_CURRENCY_CODE',
      description: ISSUES.create.INVALID_CURRENCY_CODE,
      field: `${field}/currency_code`,
      value: money.currency_code,
      location: 'body',
    });
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(money.value);
  if (!match || Number(money.value) <= 0) {
    throw invalidRequest({
      issue: 'INVALID_PARAMETER_VALUE',
      description: ISSUES.create.INVALID_PARAMETER_VALUE,
      field: `${field}/value`,
      value: money.value,
      location: 'body',
    });
  }
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw unprocessable({
      issue: 'DECIMAL_PRECISION',
      description: issues.DECIMAL_PRECISION ?? ISSUES.create.DECIMAL_PRECISION,
      field: `${field}/value`,
      value: money.value,
      location: 'body',
    });
  }
  const minor = Number(match[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || 0);
  return { currency: money.currency_code, minor };
}

/** Formats minor units as PayPal writes `money.value` (`"10.00"`, `"1000"` for JPY). */
export function formatMoney(currency: string, minor: number): Money {
  const decimals = DECIMALS[currency] ?? 2;
  if (decimals === 0) return { currency_code: currency, value: String(minor) };
  const text = String(minor).padStart(decimals + 1, '0');
  return { currency_code: currency, value: `${text.slice(0, -decimals)}.${text.slice(-decimals)}` };
}
