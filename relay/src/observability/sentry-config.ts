import type { Env } from '../config.js';
import { ConfigError } from '../errors.js';

/** Where unexpected errors are reported (docs/observability.md#sentry); off without SENTRY_DSN. */
export interface SentryConfig {
  dsn: string;
  environment: string;
  /** Defaults to `onepagepay-relay@<package version>` when SENTRY_RELEASE is unset. */
  release: string | undefined;
}

/**
 * A DSN is `<scheme>://<public key>@<host>[:port][/path]/<project id>`. It is checked here, at
 * start-up: the SDK would otherwise log a warning once and drop every event without a word.
 */
export function readSentryConfig(env: Env): SentryConfig | undefined {
  const dsn = env.SENTRY_DSN;
  if (dsn === undefined || dsn.trim() === '') {
    if (env.SENTRY_ENVIRONMENT || env.SENTRY_RELEASE) {
      throw new ConfigError(
        'SENTRY_ENVIRONMENT and SENTRY_RELEASE need SENTRY_DSN: without it nothing is sent.',
      );
    }
    return undefined;
  }
  if (!isSentryDsn(dsn.trim())) {
    throw new ConfigError(
      'SENTRY_DSN must be a Sentry DSN such as https://<public key>@o123.ingest.sentry.io/<project id> ' +
        "(copy it from the project's Settings > Client Keys), or be unset to send nothing.",
    );
  }
  return {
    dsn: dsn.trim(),
    environment: readLabel(env, 'SENTRY_ENVIRONMENT') ?? 'production',
    release: readLabel(env, 'SENTRY_RELEASE'),
  };
}

function isSentryDsn(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    /^[A-Za-z0-9]+$/.test(url.username) &&
    url.hostname !== '' &&
    /\/\d+$/.test(url.pathname) &&
    url.search === '' &&
    url.hash === ''
  );
}

/** Sentry drops events whose environment or release has whitespace or slashes, or is too long. */
function readLabel(env: Env, name: 'SENTRY_ENVIRONMENT' | 'SENTRY_RELEASE'): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const max = name === 'SENTRY_ENVIRONMENT' ? 64 : 200;
  if (value.length > max || !/^[^\s/\\]+$/.test(value) || value === '.' || value === '..') {
    throw new ConfigError(
      `${name} must be at most ${max} characters without spaces or slashes, got "${value}".`,
    );
  }
  return value;
}
