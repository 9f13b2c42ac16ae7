import { InvalidArgumentError } from 'commander';
import { isCurrencyCode, MAX_MINOR_AMOUNT } from '@onepagepay/protocol';
import { isUuid } from '../ids.js';
import { isRelayError } from '../errors.js';
import { checkStripeAccountId, normalizeOrigin } from '../tenants/create-tenant.js';

// Option parsers: commander runs them while it reads the arguments, so bad input is refused in one
// line before a command opens the database, and no malformed value ever reaches SQL.

/** A parser for an id option: `what` names where the operator finds the right one. */
export function uuidOf(what: string): (value: string) => string {
  return (value) => {
    if (!isUuid(value))
      throw new InvalidArgumentError(`give ${what}, a UUID such as 0b9d7c2e-4a51-4d2b-9f7e-3f1c2d4e5a6b`);
    return value.toLowerCase();
  };
}

export const tenantUuid = uuidOf('the tenant id (see `tenant list`)');

export function currencyCode(value: string): string {
  const code = value.toUpperCase();
  if (!isCurrencyCode(code)) {
    throw new InvalidArgumentError('give an ISO 4217 currency code in circulation, such as USD, EUR or JPY');
  }
  return code;
}

export function minorUnits(value: string): number {
  const amount = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(amount >= 1 && amount <= MAX_MINOR_AMOUNT)) {
    throw new InvalidArgumentError(
      `give a whole number in minor units from 1 to ${MAX_MINOR_AMOUNT}, e.g. 1999 for $19.99 or 500 for ¥500`,
    );
  }
  return amount;
}

/** A variadic `--origin` parser: each value is checked as it is read and collected in order. */
export function collectOrigin(value: string, previous: string[] | undefined): string[] {
  try {
    return [...(previous ?? []), normalizeOrigin(value)];
  } catch (error) {
    if (isRelayError(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** A Stripe connected account id, or `none` (null): the platform account. */
export function stripeAccountOrNone(value: string): string | null {
  if (value === 'none') return null;
  try {
    return checkStripeAccountId(value);
  } catch {
    throw new InvalidArgumentError("give a Stripe account id that must look like acct_..., or 'none'");
  }
}
