import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** An id shaped like Stripe's: prefix, underscore, 24 base62 characters (`pi_3Pgafy...`). */
export function createId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

export function createRequestId(): string {
  return `req_${randomToken(14)}`;
}

export function createClientSecret(id: string): string {
  return `${id}_secret_${randomToken(25)}`;
}
