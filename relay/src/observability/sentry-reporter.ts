import { readFileSync } from 'node:fs';
import {
  defaultStackParser,
  linkedErrorsIntegration,
  makeNodeTransport,
  NodeClient,
  Scope,
} from '@sentry/node';
import type { Logger } from '../logger.js';
import type { ErrorReporter, FailedRequest } from './error-reporter.js';
import type { SentryConfig } from './sentry-config.js';
import { scrubBreadcrumb, scrubEvent } from './sentry-scrub.js';

/**
 * A Sentry client of the relay's own, not `Sentry.init`: init installs global handlers, OpenTelemetry
 * and auto-instrumentation (HTTP, database, console breadcrumbs) that would capture requests and
 * queries with payer data in them. This client only sends what the error boundary hands it, through
 * the allowlist in sentry-scrub.ts.
 */
export function createSentryReporter(config: SentryConfig, logger: Logger): ErrorReporter {
  const client = new NodeClient({
    dsn: config.dsn,
    environment: config.environment,
    release: config.release ?? `onepagepay-relay@${relayVersion()}`,
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    // Only the error's `cause` chain; no integration that reads requests, locals or source files.
    integrations: [linkedErrorsIntegration()],
    sendDefaultPii: false,
    includeServerName: false,
    sendClientReports: false,
    maxBreadcrumbs: 20,
    beforeSend: scrubEvent,
    beforeBreadcrumb: scrubBreadcrumb,
  });
  const scope = new Scope();
  scope.setClient(client);
  client.init();

  return {
    enabled: true,
    report(error, request) {
      try {
        const requestScope = scope.clone();
        requestScope.setTags(tagsOf(request));
        requestScope.setTransactionName(`${request.method} ${request.route}`);
        requestScope.captureException(error, {
          mechanism: { type: 'onepagepay.error_boundary', handled: true },
        });
      } catch (failure) {
        logger.warn({ err: failure, requestId: request.requestId }, 'could not report the error to Sentry');
      }
    },
    flush: async (timeoutMs) => await client.flush(timeoutMs),
    close: async (timeoutMs) => {
      await client.close(timeoutMs);
    },
  };
}

function tagsOf(request: FailedRequest): Record<string, string> {
  return {
    request_id: request.requestId,
    route: request.route,
    method: request.method,
    status: String(request.status),
    error_code: request.errorCode,
    ...(request.tenant
      ? { tenant_id: request.tenant.tenantId, livemode: String(request.tenant.livemode) }
      : {}),
  };
}

/** The relay package's version: `package.json` sits two levels up from src/observability and dist/observability. */
function relayVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
