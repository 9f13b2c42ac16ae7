import { createHmac, randomBytes } from 'node:crypto';
import { cardError, missingParam } from './errors.js';
import type { Params } from './form.js';
import { brandOf, outcomeOf, passesLuhn, type CardOutcome } from './test-cards.js';

/** What the sandbox keeps of a card: never the full number or the CVC. */
export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: 'credit';
  country: 'US';
  cvcProvided: boolean;
}

// A per-process secret: the same card gets the same fingerprint, and the number cannot be recovered.
const FINGERPRINT_KEY = randomBytes(32);

function fingerprintOf(number: string): string {
  return createHmac('sha256', FINGERPRINT_KEY).update(number).digest('base64url').slice(0, 16);
}

function invalid(code: string, message: string, param: string) {
  return cardError({ code, message, param });
}

function readExpiry(card: Params, prefix: string, now: Date): { month: number; year: number } {
  const monthText = card.exp_month;
  const yearText = card.exp_year;
  if (monthText === undefined) throw missingParam(`${prefix}[exp_month]`);
  if (yearText === undefined) throw missingParam(`${prefix}[exp_year]`);
  const month = typeof monthText === 'string' && /^\d{1,2}$/.test(monthText) ? Number(monthText) : NaN;
  if (!(month >= 1 && month <= 12)) {
    throw invalid('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month');
  }
  let year = typeof yearText === 'string' && /^\d{2}(\d{2})?$/.test(yearText) ? Number(yearText) : NaN;
  if (year < 100) year += 2000;
  const thisYear = now.getUTCFullYear();
  if (!(year >= thisYear && year <= thisYear + 50)) {
    throw invalid('invalid_expiry_year', "Your card's expiration year is invalid.", 'exp_year');
  }
  if (year === thisYear && month < now.getUTCMonth() + 1) {
    throw invalid('invalid_expiry_month', "Your card's expiration month is invalid.", 'exp_month');
  }
  return { month, year };
}

/**
 * Validates raw card fields (`card[number]`, `card[exp_month]`, ...) as Stripe does and reduces them
 * to the brand, last4 and expiry. The number is dropped here and never stored.
 */
export function readCard(
  card: Params,
  prefix: string,
  now: Date,
): { details: CardDetails; outcome: CardOutcome } {
  const raw = card.number;
  if (raw === undefined || raw === '') throw missingParam(`${prefix}[number]`);
  const number = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : '';
  if (!/^\d{12,19}$/.test(number)) {
    throw invalid('invalid_number', 'Your card number is not a valid credit card number.', 'number');
  }
  if (!passesLuhn(number)) throw invalid('incorrect_number', 'Your card number is incorrect.', 'number');
  const { month, year } = readExpiry(card, prefix, now);
  const cvc = card.cvc;
  if (cvc !== undefined && (typeof cvc !== 'string' || !/^\d{3,4}$/.test(cvc))) {
    throw invalid('invalid_cvc', "Your card's security code is invalid.", 'cvc');
  }
  const details: CardDetails = {
    brand: brandOf(number),
    last4: number.slice(-4),
    exp_month: month,
    exp_year: year,
    fingerprint: fingerprintOf(number),
    funding: 'credit',
    country: 'US',
    cvcProvided: cvc !== undefined,
  };
  return { details, outcome: outcomeOf(number) };
}
