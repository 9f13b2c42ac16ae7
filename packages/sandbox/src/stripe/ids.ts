import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHABET_CODES = Buffer.from(ALPHABET, 'latin1');
const POOL_BYTES = 8192;

// One call to the system's random source per pool, not one per id: a payment makes a dozen ids, and
// each randomBytes() call costs more than the id it makes. Each byte is used once, so ids stay as
// unpredictable as before (client secrets too). The pool holds alphabet characters, ready to slice.
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

function refillPool(): void {
  randomFillSync(pool);
  for (let i = 0; i < POOL_BYTES; i += 1)
    pool[i] = ALPHABET_CODES[(pool[i] as number) % ALPHABET.length] as number;
  used = 0;
}

export function randomToken(length: number): string {
  if (length > POOL_BYTES) return randomToken(POOL_BYTES) + randomToken(length - POOL_BYTES);
  if (used + length > POOL_BYTES) refillPool();
  const token = pool.toString('latin1', used, used + length);
  used += length;
  return token;
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
