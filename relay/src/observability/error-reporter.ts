import type { Logger } from '../logger.js';
import type { SentryConfig } from './sentry-config.js';

/** What the error boundary knows about the request an unexpected error broke. */
export interface FailedRequest {
  requestId: string;
  method: string;
  /** The route template (`/v1/forms/:tenantId/:formId`), never the raw path with its ids and query. */
  route: string;
  status: number;
  errorCode: string;
  tenant: { tenantId: string; livemode: boolean } | undefined;
}

/**
 * Where the relay reports errors it did not expect. Created once at start-up and passed to the
 * error boundary, so the app never reaches for a global SDK and tests can run relays side by side.
 */
export interface ErrorReporter {
  /** False for the reporter that sends nothing (no SENTRY_DSN). */
  readonly enabled: boolean;
  /** Never throws: a failure to report is logged, and the request is answered as it would be. */
  report(error: unknown, request: FailedRequest): void;
  /** Waits (up to `timeoutMs`) until what was reported has been sent; false if it ran out of time. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Flushes, then stops sending. */
  close(timeoutMs: number): Promise<void>;
}

export const silentErrorReporter: ErrorReporter = {
  enabled: false,
  report: () => undefined,
  flush: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

/**
 * Sentry when a DSN is configured, otherwise the silent reporter. The SDK is imported only then,
 * so a relay without SENTRY_DSN never loads it, let alone starts it.
 */
export async function createErrorReporter(
  config: SentryConfig | undefined,
  logger: Logger,
): Promise<ErrorReporter> {
  if (!config) return silentErrorReporter;
  const { createSentryReporter } = await import('./sentry-reporter.js');
  return createSentryReporter(config, logger);
}
