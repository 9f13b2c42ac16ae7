/**
 * Why a HubSpot call did not work, in the terms the worker acts on:
 * - `rate_limited`: a 429; `policy` DAILY pauses the tenant, TEN_SECONDLY_ROLLING waits the window.
 * - `unauthorized`: a 401 (expired or revoked token): refresh, or mark the connection broken.
 * - `connection_broken`: the refresh failed or there is nothing to refresh.
 * - `transient`: 5xx, timeouts and dropped connections: retry with backoff.
 * - `rejected`: any other 4xx: HubSpot refused this data; retried too (it may be a missing property).
 */
export type FailureKind = 'rate_limited' | 'unauthorized' | 'connection_broken' | 'transient' | 'rejected';

export class HubSpotFailure extends Error {
  override readonly name = 'HubSpotFailure';

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: {
      status?: number;
      policy?: string;
      retryAfterMs?: number;
      /** No HTTP answer at all (a reset or refused connection), as opposed to a timeout. */
      network?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

export function isHubSpotFailure(error: unknown): error is HubSpotFailure {
  return (error as { name?: unknown } | null)?.name === 'HubSpotFailure';
}

/** Reads an error from `@hubspot/api-client` (ApiException: code, body, headers) or from the network. */
export function classifyFailure(error: unknown): HubSpotFailure {
  if (isHubSpotFailure(error)) return error;
  const status = (error as { code?: unknown } | null)?.code;
  if (typeof status !== 'number') {
    const message = error instanceof Error ? error.message : String(error);
    return new HubSpotFailure('transient', `HubSpot did not answer: ${message}`, {
      network: true,
      cause: error,
    });
  }
  const headers = lowerCaseKeys((error as { headers?: Record<string, string> }).headers ?? {});
  const body = parseBody((error as { body?: unknown }).body);
  const message = `HubSpot answered ${status}: ${describeBody(body)}`;
  const retryAfter = Number(headers['retry-after']);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  const details = { status, cause: error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status === 429) {
    const policy = typeof body['policyName'] === 'string' ? body['policyName'] : 'TEN_SECONDLY_ROLLING';
    return new HubSpotFailure('rate_limited', message, { ...details, policy });
  }
  if (status === 401) return new HubSpotFailure('unauthorized', message, details);
  if (status >= 500 || status === 0 || status === 408)
    return new HubSpotFailure('transient', message, details);
  return new HubSpotFailure('rejected', message, details);
}

const INVALID_PROPERTIES = 'Property values were not valid: ';

/**
 * HubSpot's message, shortened. A VALIDATION_ERROR for property values carries a JSON list of
 * per-property errors whose messages can list every allowed option; each becomes `name: message`
 * cut to its first sentence, so a dead letter names the property and the refused value.
 */
function describeBody(body: Record<string, unknown>): string {
  const message = String(body['message'] ?? body['category'] ?? 'no message');
  if (message.startsWith(INVALID_PROPERTIES)) {
    try {
      const entries = JSON.parse(message.slice(INVALID_PROPERTIES.length)) as Array<Record<string, unknown>>;
      const parts = entries.map((entry) => {
        const text = String(entry['message'] ?? '').split(/: \[|\n/)[0];
        return `${String(entry['name'])}: ${text} (${String(entry['error'])})`;
      });
      return `${INVALID_PROPERTIES}${parts.join('; ')}`.slice(0, 500);
    } catch {
      // Not the list HubSpot documents: keep the message as it came.
    }
  }
  return message.slice(0, 300);
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

function parseBody(body: unknown): Record<string, unknown> {
  if (body !== null && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // An HTML error page (Cloudflare's 502): only the status matters.
    }
  }
  return {};
}
