import { type ErrorCode, httpStatusOf } from '@onepagepay/protocol';

/**
 * The relay's one error type. Only RelayErrors are shown to callers with their message; anything
 * else becomes `internal_error` at the error boundary, so internals never leak.
 */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly declineCode: string | undefined;
  readonly details: Array<{ path: string; message: string }> | undefined;
  /** Sent as Retry-After (seconds) by the error boundary, e.g. on rate_limited. */
  readonly retryAfterSeconds: number | undefined;
  /** The CAPTCHA to solve, sent with challenge_required and challenge_failed. */
  readonly challenge: { provider: 'turnstile' | 'hcaptcha'; siteKey: string } | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      cause?: unknown;
      declineCode?: string;
      details?: Array<{ path: string; message: string }>;
      retryAfterSeconds?: number;
      challenge?: { provider: 'turnstile' | 'hcaptcha'; siteKey: string };
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = httpStatusOf(code);
    this.declineCode = options.declineCode;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.challenge = options.challenge;
  }
}

export function isRelayError(error: unknown): error is RelayError {
  return (error as { name?: unknown } | null)?.name === 'RelayError';
}

/**
 * A database "data exception" (SQLSTATE class 22: a malformed uuid, a number out of range, a string
 * too long ...): the input was bad, so asking again with the same input fails the same way.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** The same body for an unknown tenant, a malformed id and a missing form, so nothing can be enumerated. */
export function notFound(): RelayError {
  return new RelayError('not_found', 'No such resource.');
}

/** Configuration problems stop start-up and name the variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
