import type { Middleware, Next, ParameterizedContext } from 'koa';
import type { ErrorBody } from '@onepagepay/protocol';
import type { Logger } from '../logger.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailable,
  isDatabaseUnavailable,
} from '../db/database-unavailable.js';
import { currentRequestTenant, requestIdFrom, runInRequest } from '../observability/request-context.js';
import { silentErrorReporter, type ErrorReporter } from '../observability/error-reporter.js';
import { isDataError, isRelayError, RelayError } from '../errors.js';

/**
 * Outages the relay answers by design (503 with Retry-After) and already shows on /v1/status and
 * /metrics: reporting each request they fail would bury the bugs under one event per payer.
 */
const EXPECTED_OUTAGES = new Set(['database_unavailable', 'provider_unavailable']);

/**
 * The relay's one error boundary: the first middleware. Every error becomes
 * `{"error":{"code","message"}}`; only RelayErrors show their own message, anything else is an
 * `internal_error` with the request id to quote, and is logged in full. Unexpected errors (a 5xx
 * that is not a known outage) also go to the error reporter; a client's 4xx never does.
 */
export function errorBoundary(logger: Logger, reporter: ErrorReporter = silentErrorReporter): Middleware {
  return (ctx, next) => {
    // Behind a trusted proxy its request id carries through, so its logs and ours line up.
    const requestId = requestIdFrom(ctx.app.proxy ? ctx.get('X-Request-Id') : undefined);
    return runInRequest(requestId, () => handle(ctx, next, requestId));
  };

  async function handle(ctx: ParameterizedContext, next: Next, requestId: string): Promise<void> {
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set('Request-Id', requestId);
    const startedAt = performance.now();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new RelayError('not_found', 'No such route.');
      if (ctx.status === 405 && (ctx.body === undefined || typeof ctx.body === 'string')) {
        throw new RelayError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}.`);
      }
    } catch (caught) {
      const error = toRelayError(caught);
      if (error.code === 'database_unavailable') {
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        logger.warn({ err: caught, requestId, path: ctx.path }, 'database unavailable');
      }
      if (error.code === 'internal_error')
        logger.error({ err: caught, requestId, path: ctx.path }, 'unhandled error');
      const body: ErrorBody = {
        error: {
          code: error.code,
          message: error.message,
          requestId,
          ...(error.declineCode ? { declineCode: error.declineCode } : {}),
          ...(error.details ? { details: error.details } : {}),
          ...(error.challenge ? { challenge: error.challenge } : {}),
        },
      };
      ctx.status = error.status;
      if (error.status >= 500 && !EXPECTED_OUTAGES.has(error.code)) {
        reporter.report(error.code === 'internal_error' ? caught : error, {
          requestId,
          method: ctx.method,
          route: String((ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched'),
          status: error.status,
          errorCode: error.code,
          tenant: currentRequestTenant(),
        });
      }
      if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.body = body;
    } finally {
      logger.info(
        {
          requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - startedAt) * 10) / 10,
        },
        'request',
      );
    }
  }
}

function toRelayError(error: unknown): RelayError {
  if (isRelayError(error)) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  // Errors raised by Koa itself or its body readers carry an HTTP status.
  const status = (error as { status?: number; expose?: boolean } | null)?.status;
  if (status === 413) return new RelayError('payload_too_large', 'The request body is too large.');
  if (status === 415) return new RelayError('unsupported_media_type', 'Send the body as application/json.');
  if (status === 400) return new RelayError('invalid_request', 'The request could not be read.');
  if (isDataError(error)) return new RelayError('invalid_request', 'A value is malformed.');
  return new RelayError(
    'internal_error',
    'Something went wrong on our side. Quote the request id if it persists.',
    {
      cause: error,
    },
  );
}
