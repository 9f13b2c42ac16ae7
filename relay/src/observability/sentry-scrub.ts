import type { Breadcrumb, ErrorEvent, Exception, StackFrame } from '@sentry/node';

/**
 * What leaves for Sentry is rebuilt from an allowlist: fields not named here (request, user, extra,
 * contexts other than the runtime, frame variables, breadcrumb data ...) are dropped whatever put
 * them there, so an SDK upgrade or a new integration cannot start sending payer data. The free text
 * that is kept (error messages, breadcrumb messages) has secrets and personal data masked by
 * pattern. A payer's name cannot be told apart from other words by pattern; it stays out because
 * request bodies, users and extras never leave.
 */

/** Tags the error boundary sets; any other tag is dropped. */
export const REPORTED_TAGS = [
  'request_id',
  'route',
  'method',
  'status',
  'error_code',
  'tenant_id',
  'livemode',
];

const MASKS: Array<[RegExp, string]> = [
  // Headers quoted into a message, e.g. by an HTTP client's error: the whole value goes, to the
  // closing quote or the end of the line (cookies and signatures have commas and semicolons).
  [
    /\b(authorization|proxy-authorization|cookie|set-cookie|stripe-signature|x-api-key|paypal-auth-assertion)(["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\n]+)/gi,
    '$1$2[redacted]',
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  // Stripe secret and restricted keys, webhook secrets, PaymentIntent/SetupIntent client secrets.
  [/\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]+/g, '[stripe-key]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, '[stripe-key]'],
  [/\b(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+/g, '[client-secret]'],
  // The relay's own API keys, PayPal access tokens, HubSpot private-app and refresh tokens.
  [/\bopp_(?:test|live)_[A-Za-z0-9_-]+/g, '[api-key]'],
  [/\bA21AA[A-Za-z0-9_-]+/g, '[paypal-token]'],
  [/\bpat-[a-z]{2,4}\d-[0-9a-f-]{20,}/gi, '[hubspot-token]'],
  [/\b[a-z]{2,4}\d-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '[hubspot-token]'],
  // Query strings carry tokens (OAuth codes and states, signup links): only the path is kept.
  [/\b(https?:\/\/[^\s?#"']+)\?[^\s#"']*/g, '$1?[query]'],
  [
    /([?&](?:token|code|state|key|secret|password|signature|access_token|refresh_token)=)[^&\s"']+/gi,
    '$1[redacted]',
  ],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // Card numbers (12 to 19 digits, maybe grouped) and any other long digit run.
  [/\b(?:\d[ -]?){11,18}\d\b/g, '[digits]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '[ip]'],
  [/(?:\b[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/gi, '[ip]'],
  [
    /(?:\b[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}\b(?::[0-9a-f]{1,4}\b)*)?|::(?:[0-9a-f]{1,4}\b(?::[0-9a-f]{1,4}\b)*)/gi,
    '[ip]',
  ],
  // Anything else shaped like a long random token (OAuth access tokens, client secrets).
  [/\b(?=[A-Za-z0-9_+=-]*\d)(?=[A-Za-z0-9_+=-]*[A-Za-z])[A-Za-z0-9_+=-]{40,}/g, '[token]'],
];

const MAX_TEXT = 2_000;

export function scrubText(value: string): string {
  let text = value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  for (const [pattern, replacement] of MASKS) text = text.replace(pattern, replacement);
  return text;
}

export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const kept: ErrorEvent = { type: undefined };
  copy(event, kept, ['event_id', 'timestamp', 'platform', 'level', 'environment', 'release', 'dist']);
  copy(event, kept, ['fingerprint', 'transaction']);
  if (event.sdk) kept.sdk = { name: event.sdk.name, version: event.sdk.version };
  if (event.message) kept.message = scrubText(event.message);
  if (event.tags) kept.tags = pickTags(event.tags);
  if (event.contexts?.runtime) {
    kept.contexts = {
      runtime: { name: event.contexts.runtime.name, version: event.contexts.runtime.version },
    };
  }
  if (event.exception?.values) kept.exception = { values: event.exception.values.map(scrubException) };
  if (event.breadcrumbs) kept.breadcrumbs = event.breadcrumbs.map(scrubBreadcrumb);
  return kept;
}

export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  const kept: Breadcrumb = {};
  copy(breadcrumb, kept, ['timestamp', 'type', 'category', 'level']);
  if (breadcrumb.message) kept.message = scrubText(breadcrumb.message);
  return kept;
}

function scrubException(exception: Exception): Exception {
  const kept: Exception = {};
  if (exception.type) kept.type = scrubText(exception.type);
  if (exception.value) kept.value = scrubText(exception.value);
  if (exception.mechanism) {
    kept.mechanism = { type: exception.mechanism.type, handled: exception.mechanism.handled };
    copy(exception.mechanism, kept.mechanism, ['source', 'exception_id', 'parent_id', 'is_exception_group']);
  }
  if (exception.stacktrace?.frames) {
    kept.stacktrace = { frames: exception.stacktrace.frames.map(scrubFrame) };
  }
  return kept;
}

/** Where the code was, never what it held: no local variables, no source lines. */
function scrubFrame(frame: StackFrame): StackFrame {
  const kept: StackFrame = {};
  copy(frame, kept, ['filename', 'abs_path', 'function', 'module', 'lineno', 'colno', 'in_app']);
  return kept;
}

function pickTags(tags: NonNullable<ErrorEvent['tags']>): NonNullable<ErrorEvent['tags']> {
  const kept: NonNullable<ErrorEvent['tags']> = {};
  for (const name of REPORTED_TAGS) if (tags[name] !== undefined) kept[name] = tags[name];
  return kept;
}

function copy<T extends object>(from: T, to: T, keys: Array<keyof T>): void {
  for (const key of keys) if (from[key] !== undefined) to[key] = from[key];
}
