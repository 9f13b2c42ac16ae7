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
}

interface Entry {
  path: string;
  fingerprint: string;
  saved?: SavedResponse;
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

  /** Returns the response to replay, or undefined after reserving the key for this request. */
  begin(scope: string, key: string, path: string, params: Params): SavedResponse | undefined {
    const id = `${scope}\u0000${key}`;
    const fingerprint = fingerprintOf(params);
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { path, fingerprint });
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

  /** Every finished request, to keep in a state file: a request still running is never restored. */
  exportFinished(): SavedIdempotency[] {
    const finished: SavedIdempotency[] = [];
    for (const [id, { path, fingerprint, saved }] of this.entries) {
      if (saved)
        finished.push({ id, path, fingerprint, saved: { ...saved, body: saved.body.toString('utf8') } });
    }
    return finished;
  }

  importFinished(entries: readonly SavedIdempotency[]): void {
    for (const { id, path, fingerprint, saved } of entries) {
      this.entries.set(id, { path, fingerprint, saved: { ...saved, body: Buffer.from(saved.body, 'utf8') } });
    }
  }

  /** Everything stored, for inspection in tests. */
  dump(): Array<{ key: string; path: string; fingerprint: string; saved?: DumpedResponse }> {
    return [...this.entries].map(([key, { saved, ...entry }]) => ({
      key,
      ...entry,
      ...(saved === undefined ? {} : { saved: { ...saved, body: saved.body.toString('utf8') } }),
    }));
  }
}
