import { hash } from 'node:crypto';
import { invalidRequest, StripeFailure } from './errors.js';
import type { Params } from './form.js';

export interface SavedResponse {
  status: number;
  body: Buffer;
  requestId: string;
}

type DumpedResponse = Omit<SavedResponse, 'body'> & { body: string };

/** One finished idempotent request as a state file keeps it. */
export interface SavedIdempotency {
  id: string;
  path: string;
  fingerprint: string;
  saved: DumpedResponse;
  /** When the key was first used (ms since the epoch, sandbox clock); absent in older state files. */
  created?: number;
}

interface Entry {
  path: string;
  fingerprint: string;
  created: number;
  saved?: SavedResponse;
}

/**
 * How long a key is kept. Stripe: "You can remove keys from the system automatically after they're
 * at least 24 hours old. We generate a new request if a key is reused after the original is pruned"
 * (https://docs.stripe.com/api/idempotent_requests). The sandbox prunes at exactly 24 hours, so a
 * test that advances the clock past it sees what a late retry sees at Stripe: a brand-new request.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Stripe's limit on the `Idempotency-Key` header (same page: "up to 255 characters long"). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Stripe's refusal of an empty or over-long key, in the words its API uses. */
export function idempotencyKeyLengthRefused(key: string): StripeFailure {
  return invalidRequest(
    `Idempotent key length is ${key.length}, which is outside accepted lengths. Idempotent Keys must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters long. If you're looking for a decent generator, try using a UUID defined by IETF RFC 4122.`,
    { saved: false },
  );
}

/** The value with every object's keys sorted, so the same parameters in another order match. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

/** A digest of the parameters: the store keeps no parameter values (they may hold card numbers). */
function fingerprintOf(params: Params): string {
  return hash('sha256', JSON.stringify(canonical(params)), 'hex');
}

function mismatch(message: string): StripeFailure {
  return new StripeFailure(400, { type: 'idempotency_error', message }, false);
}

/**
 * Stripe's idempotency layer: a POST with an `Idempotency-Key` replays the first response for the
 * same parameters, refuses other parameters, and refuses a second request while the first runs.
 * Keys are scoped by the caller's mode and account.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * Returns the response to replay, or undefined after reserving the key for this request. A key
   * older than IDEMPOTENCY_KEY_TTL_MS is forgotten first, as Stripe prunes it.
   */
  begin(scope: string, key: string, path: string, params: Params, nowMs: number): SavedResponse | undefined {
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw idempotencyKeyLengthRefused(key);
    const id = `${scope}\u0000${key}`;
    const fingerprint = fingerprintOf(params);
    let entry = this.entries.get(id);
    if (entry?.saved && nowMs - entry.created >= IDEMPOTENCY_KEY_TTL_MS) {
      this.entries.delete(id);
      entry = undefined;
    }
    if (!entry) {
      this.pruneNow(nowMs);
      this.entries.set(id, { path, fingerprint, created: nowMs });
      return undefined;
    }
    if (entry.path !== path) {
      throw mismatch(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.path}' vs '${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.fingerprint !== fingerprint) {
      throw mismatch(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (!entry.saved) {
      const failure = invalidRequest(
        `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        { status: 409, code: 'idempotency_key_in_use', saved: false },
      );
      failure.headers['Stripe-Should-Retry'] = 'true';
      throw failure;
    }
    return entry.saved;
  }

  /** Saves the response under the key, or frees the key when Stripe would not have saved it. */
  finish(scope: string, key: string, response: SavedResponse | undefined): void {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) return;
    if (response === undefined) this.entries.delete(id);
    else entry.saved = response;
  }

  /**
   * Drops expired keys now and then (every 1,000 new keys), so a long-running sandbox does not keep
   * every key it ever saw.
   */
  private pruneNow(nowMs: number): void {
    this.sinceSweep += 1;
    if (this.sinceSweep < 1000) return;
    this.sinceSweep = 0;
    for (const [id, entry] of this.entries) {
      if (entry.saved && nowMs - entry.created >= IDEMPOTENCY_KEY_TTL_MS) this.entries.delete(id);
    }
  }

  private sinceSweep = 0;

  /** Every finished request, to keep in a state file: a request still running is never restored. */
  exportFinished(): SavedIdempotency[] {
    const finished: SavedIdempotency[] = [];
    for (const [id, { path, fingerprint, saved, created }] of this.entries) {
      if (saved)
        finished.push({
          id,
          path,
          fingerprint,
          created,
          saved: { ...saved, body: saved.body.toString('utf8') },
        });
    }
    return finished;
  }

  /** `nowMs` dates entries of state files written before keys had a creation time. */
  importFinished(entries: readonly SavedIdempotency[], nowMs: number = Date.now()): void {
    for (const { id, path, fingerprint, saved, created } of entries) {
      this.entries.set(id, {
        path,
        fingerprint,
        created: created ?? nowMs,
        saved: { ...saved, body: Buffer.from(saved.body, 'utf8') },
      });
    }
  }

  /** Everything stored, for inspection in tests. */
  dump(): Array<{ key: string; path: string; fingerprint: string; created: number; saved?: DumpedResponse }> {
    return [...this.entries].map(([key, { saved, ...entry }]) => ({
      key,
      ...entry,
      ...(saved === undefined ? {} : { saved: { ...saved, body: saved.body.toString('utf8') } }),
    }));
  }
}
