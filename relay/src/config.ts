import path from 'node:path';
import { ConfigError } from './errors.js';

export interface StripeKeys {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string | undefined;
}

export interface RelayConfig {
  port: number;
  host: string;
  /** Real PostgreSQL when set; otherwise the embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Stripe keys per mode: a form in live mode only ever uses live keys, and test forms test keys. */
  stripe: {
    test: StripeKeys | undefined;
    live: StripeKeys | undefined;
    apiBase: URL | undefined;
    timeoutMs: number;
  };
  statusCacheMs: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and refuse plain HTTP. */
  trustProxy: boolean;
  requireHttps: boolean;
  rateLimits: { paymentsPerMinute: number; publicReadsPerMinute: number };
  shutdownGraceMs: number;
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once at start-up; every failure names its variable. */
export function loadConfig(env: Env = process.env): RelayConfig {
  const stripeKeys = readStripeKeys(env);
  return {
    port: readInteger(env, 'PORT', 8787, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: readDatabaseUrl(env),
    dataDir: path.resolve(env.ONEPAGEPAY_DATA_DIR ?? '.data/pglite'),
    logLevel: readChoice(env, 'LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    stripe: {
      ...stripeKeys,
      apiBase: readUrl(env, 'STRIPE_API_BASE'),
      timeoutMs: readInteger(env, 'STRIPE_TIMEOUT_MS', 20_000, 100, 120_000),
    },
    statusCacheMs: readInteger(env, 'STATUS_CACHE_MS', 15_000, 0, 600_000),
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    requireHttps: readBoolean(env, 'REQUIRE_HTTPS', false),
    rateLimits: {
      paymentsPerMinute: readInteger(env, 'RATE_LIMIT_PAYMENTS_PER_MINUTE', 60, 1, 10_000_000),
      publicReadsPerMinute: readInteger(env, 'RATE_LIMIT_PUBLIC_READS_PER_MINUTE', 600, 1, 10_000_000),
    },
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
  };
}

function readStripeKeys(env: Env): { test: StripeKeys | undefined; live: StripeKeys | undefined } {
  const keys: { test: StripeKeys | undefined; live: StripeKeys | undefined } = {
    test: undefined,
    live: undefined,
  };
  for (const mode of ['test', 'live'] as const) {
    const prefix = `STRIPE_${mode.toUpperCase()}_`;
    const generic =
      env.STRIPE_SECRET_KEY?.startsWith(`sk_${mode}_`) || env.STRIPE_SECRET_KEY?.startsWith(`rk_${mode}_`);
    const secretName = env[`${prefix}SECRET_KEY`]
      ? `${prefix}SECRET_KEY`
      : generic
        ? 'STRIPE_SECRET_KEY'
        : undefined;
    if (!secretName) continue;
    const publishableName = env[`${prefix}PUBLISHABLE_KEY`]
      ? `${prefix}PUBLISHABLE_KEY`
      : 'STRIPE_PUBLISHABLE_KEY';
    const webhookName = env[`${prefix}WEBHOOK_SECRET`] ? `${prefix}WEBHOOK_SECRET` : 'STRIPE_WEBHOOK_SECRET';
    const secretKey = env[secretName] as string;
    const publishableKey = env[publishableName];
    if (!/^(sk|rk)_/.test(secretKey) || !secretKey.includes(`_${mode}_`)) {
      throw new ConfigError(`${secretName} must be a Stripe ${mode} secret key (sk_${mode}_...).`);
    }
    if (!publishableKey?.startsWith(`pk_${mode}_`)) {
      throw new ConfigError(
        `${publishableName} must be the Stripe ${mode} publishable key (pk_${mode}_...).`,
      );
    }
    const webhookSecret = env[webhookName];
    if (webhookSecret !== undefined && !webhookSecret.startsWith('whsec_')) {
      throw new ConfigError(`${webhookName} must be a Stripe webhook signing secret (whsec_...).`);
    }
    keys[mode] = { secretKey, publishableKey, webhookSecret };
  }
  if (env.STRIPE_SECRET_KEY && !keys.test && !keys.live) {
    throw new ConfigError('STRIPE_SECRET_KEY must start with sk_test_ or sk_live_ (or rk_test_/rk_live_).');
  }
  return keys;
}

function readDatabaseUrl(env: Env): string | undefined {
  const value = env.DATABASE_URL;
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// connection string.');
  }
  return value;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!choices.includes(raw as T))
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}".`);
  return raw as T;
}

function readUrl(env: Env, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}".`);
  }
}
