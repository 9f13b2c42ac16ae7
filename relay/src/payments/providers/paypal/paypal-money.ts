import { currencyExponent, toMajorUnitString } from '@onepagepay/protocol';
import { RelayError } from '../../../errors.js';

/** PayPal takes no decimals for these, though ISO 4217 gives them two. */
const WHOLE_UNITS_ONLY = new Set(['HUF', 'TWD']);

/** Minor units as PayPal's `money.value` ("19.99", "500" for JPY). */
export function toPayPalValue(amount: number, currency: string): string {
  if (WHOLE_UNITS_ONLY.has(currency)) {
    if (amount % 100 !== 0) {
      throw new RelayError(
        'amount_out_of_range',
        `PayPal takes ${currency} in whole units only: use a multiple of 100.`,
      );
    }
    return String(amount / 100);
  }
  return toMajorUnitString(amount, currency);
}

/** PayPal's `money.value` back into minor units; undefined when it is not a plain decimal. */
export function fromPayPalValue(value: string | undefined, currency: string): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value ?? '');
  if (!match) return undefined;
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? '').padEnd(exponent, '0');
  if (fraction.length > exponent) return undefined;
  return Number(match[1]) * 10 ** exponent + Number(fraction || 0);
}
