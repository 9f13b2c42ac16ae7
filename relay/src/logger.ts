import { pino, type Logger, type DestinationStream } from 'pino';
import { currentRequestId } from './observability/request-context.js';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a log line: known secret-bearing paths are censored by
 * pino's redaction, and a serializer masks anything that looks like an email, a Stripe secret or a
 * long digit run (a card number pasted into a name field, say) wherever it appears.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  '*.secretKey',
  '*.card',
  '*.number',
  '*.cvc',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => maskSensitiveStrings(object) as Record<string, unknown> },
      serializers: { err: (error: Error) => maskSensitiveStrings(pino.stdSerializers.err(error)) },
      base: { service: 'onepagepay-relay' },
      // Every line written while serving a request names it, however deep the code that logs.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const STRIPE_SECRET = /\b((?:sk|rk|whsec|pi_[A-Za-z0-9]+_secret)_?(?:test_|live_)?)[A-Za-z0-9]{6,}/g;
const API_KEY = /\bopp_(test|live)_[A-Za-z0-9_-]{8,}/g;
const DIGIT_RUN = /\b(?:\d[ -]?){12,18}\d\b/g;

export function maskSensitiveString(value: string): string {
  return value
    .replace(EMAIL, '$1***@$2')
    .replace(STRIPE_SECRET, '$1[redacted]')
    .replace(API_KEY, 'opp_$1_[redacted]')
    .replace(DIGIT_RUN, '[redacted-digits]');
}

function maskSensitiveStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitiveString(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskSensitiveStrings(item, depth + 1));
  if (value instanceof Error) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) masked[key] = maskSensitiveStrings(item, depth + 1);
  return masked;
}
