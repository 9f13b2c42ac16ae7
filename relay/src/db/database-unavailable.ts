import { RelayError } from '../errors.js';

/**
 * SQLSTATEs that say the server is going away, starting, or read-only (a standby, or a promoted
 * one the failover monitor has not released yet): retrying later on the same or another host works.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '25006', '53300']);
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Knex: Timeout acquiring a connection',
];

/** How long a caller should wait before retrying: about one failover step of the monitor. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * True when `error` (or one of its causes) means the database could not be reached or would not
 * take writes, rather than that the statement was wrong: a killed primary, a failover under way,
 * a pool that could not open a connection in time.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'NoPrimaryError' || name === 'KnexTimeoutError') return true;
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_SYSCALL_CODES.has(code)) {
        return true;
      }
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text)))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The payer's retry with the same attempt id is safe: the attempt row and Stripe's key dedupe it. */
export function databaseUnavailable(cause: unknown): RelayError {
  return new RelayError(
    'database_unavailable',
    'The database is not reachable right now (a failover may be under way). Retry in a few seconds with the same attempt id: it is never charged twice.',
    { cause },
  );
}
