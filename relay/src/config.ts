import path from 'node:path';
import { readCardTestingConfig, type CardTestingConfig } from './defence/card-testing-config.js';
import { parseHostList } from './db/primary-host.js';
import { ConfigError } from './errors.js';
import { LEASE_MARGIN_MS } from './hubspot/job-lease.js';
import { readSentryConfig, type SentryConfig } from './observability/sentry-config.js';

export interface StripeKeys {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string | undefined;
}

/** One PayPal REST app (per mode): its client credentials and the id of its webhook. */
export interface PayPalCredentials {
  clientId: string;
  clientSecret: string;
  /** The webhook's id in the PayPal developer dashboard; webhooks are refused without it. */
  webhookId: string | undefined;
}

export interface PayPalConfig {
  test: PayPalCredentials | undefined;
  live: PayPalCredentials | undefined;
  /** PayPal's API (api-m.paypal.com, or api-m.sandbox.paypal.com for test) unless pointed at a fake. */
  apiBase: URL | undefined;
  timeoutMs: number;
}

export interface RelayConfig {
  port: number;
  host: string;
  /** Real PostgreSQL when set; otherwise the embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** The schema owner's connection for migrations and operator commands; databaseUrl if unset. */
  databaseOwnerUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Stripe keys per mode: a form in live mode only ever uses live keys, and test forms test keys. */
  stripe: {
    test: StripeKeys | undefined;
    live: StripeKeys | undefined;
    apiBase: URL | undefined;
    timeoutMs: number;
  };
  paypal: PayPalConfig;
  statusCacheMs: number;
  /** Background probe period of the upstreams (0: probe on demand, cached statusCacheMs). */
  statusProbeIntervalMs: number;
  /** A probe answered slower than this reports the upstream `degraded`. */
  statusDegradedMs: number;
  /**
   * How many proxies in front of the relay append to X-Forwarded-For. The client IP is the entry
   * that many places from the right; 0 means no proxy is trusted and the socket's address is used.
   */
  trustedProxyHops: number;
  requireHttps: boolean;
  rateLimits: { paymentsPerMinute: number; publicReadsPerMinute: number };
  /** Per-IP, per-email and per-tenant caps on card payments and the optional CAPTCHA. */
  cardTesting: CardTestingConfig;
  shutdownGraceMs: number;
  hubspot: HubSpotConfig;
  /** AES-256-GCM keys for secrets at rest; the first is used to encrypt, all to decrypt. */
  encryptionKeys: EncryptionKey[];
  /** Merchant API: origins a merchant dashboard may send session requests from; issuer in 2FA apps. */
  merchant: {
    dashboardOrigins: string[];
    totpIssuer: string;
    /** Signup requests one client IP may make per hour. */
    signupsPerIpPerHour: number;
    /** The dashboard page the verification mail links to (`#token=…` appended). */
    signupVerifyUrl: URL | undefined;
    /** Where signup mails go out; without it they are written to the log (development only). */
    smtpUrl: URL | undefined;
    mailFrom: string;
  };
  backups: BackupConfig;
  reconciliation: ReconciliationConfig;
  /** Bearer token for GET /metrics; the route does not exist without one. */
  metricsToken: string | undefined;
  /** Error reporting to Sentry; nothing is loaded or sent when SENTRY_DSN is unset. */
  sentry: SentryConfig | undefined;
}

export interface BackupConfig {
  /** Where the relay writes its scheduled backups; no schedule runs when unset. */
  dir: string | undefined;
  intervalHours: number;
  retentionDays: number;
  /** Encrypt scheduled backups with the first ONEPAGEPAY_ENCRYPTION_KEYS key. */
  encrypt: boolean;
  /** Where pg_dump and pg_restore live, when not on PATH (they must match the server's major version). */
  pgBinDir: string | undefined;
}

export interface ReconciliationConfig {
  /** How often the relay compares providers with its records; 0 turns the schedule off. */
  intervalMs: number;
  /** How far back each sweep looks (Stripe retries a webhook for up to 3 days). */
  lookbackHours: number;
  /** Payments younger than this are left to their request in flight. */
  graceMs: number;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface HubSpotConfig {
  /** HubSpot's API (https://api.hubapi.com) unless pointed at a sandbox. */
  apiBase: URL | undefined;
  /** Forms submissions v3 live on api.hsforms.com; defaults to apiBase when that is set. */
  formsApiBase: URL | undefined;
  oauth: { clientId: string; clientSecret: string; redirectUri: URL } | undefined;
  /** A private-app token of the operator's own portal, for the health probe; no probe without it. */
  probeToken: string | undefined;
  timeoutMs: number;
  worker: {
    enabled: boolean;
    pollMs: number;
    claimLimit: number;
    /** Tenants (each with its own portal and rate limit) delivered at once by one worker. */
    tenantConcurrency: number;
    /** Batch requests in flight at once for one tenant. */
    batchConcurrency: number;
    leaseMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
  };
  /** A paid transaction whose form submission was not seen within this time is submitted by the relay. */
  formSubmissionDelayMs: number;
}

export type Env = Record<string, string | undefined>;

/** Where the embedded PGlite keeps its data (ONEPAGEPAY_DATA_DIR), as an absolute path. */
export function readDataDir(env: Env = process.env): string {
  return path.resolve(env.ONEPAGEPAY_DATA_DIR ?? '.data/pglite');
}

/** Reads and validates the environment once at start-up; every failure names its variable. */
export function loadConfig(env: Env = process.env): RelayConfig {
  const stripeKeys = readStripeKeys(env);
  return {
    port: readInteger(env, 'PORT', 8787, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: readDatabaseUrl(env),
    databaseOwnerUrl: readDatabaseUrl(env, 'DATABASE_OWNER_URL'),
    dataDir: readDataDir(env),
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
    paypal: {
      test: readPayPalCredentials(env, 'TEST'),
      live: readPayPalCredentials(env, 'LIVE'),
      apiBase: readUrl(env, 'PAYPAL_API_BASE'),
      timeoutMs: readInteger(env, 'PAYPAL_TIMEOUT_MS', 20_000, 100, 120_000),
    },
    statusCacheMs: readInteger(env, 'STATUS_CACHE_MS', 15_000, 0, 600_000),
    statusProbeIntervalMs: readInteger(env, 'STATUS_PROBE_INTERVAL_MS', 30_000, 0, 3_600_000),
    statusDegradedMs: readInteger(env, 'STATUS_DEGRADED_MS', 2_000, 1, 120_000),
    trustedProxyHops: readTrustedProxyHops(env),
    requireHttps: readBoolean(env, 'REQUIRE_HTTPS', false),
    rateLimits: {
      paymentsPerMinute: readInteger(env, 'RATE_LIMIT_PAYMENTS_PER_MINUTE', 60, 1, 10_000_000),
      publicReadsPerMinute: readInteger(env, 'RATE_LIMIT_PUBLIC_READS_PER_MINUTE', 600, 1, 10_000_000),
    },
    cardTesting: readCardTestingConfig(env),
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    hubspot: readHubSpotConfig(env),
    merchant: {
      dashboardOrigins: readOrigins(env, 'MERCHANT_DASHBOARD_ORIGINS'),
      totpIssuer: env.MERCHANT_TOTP_ISSUER || 'OnePagePay',
      signupsPerIpPerHour: readInteger(env, 'MERCHANT_SIGNUPS_PER_IP_PER_HOUR', 10, 1, 10_000_000),
      signupVerifyUrl: readUrl(env, 'MERCHANT_SIGNUP_VERIFY_URL'),
      smtpUrl: readSmtpUrl(env, 'MERCHANT_SMTP_URL'),
      mailFrom: env.MERCHANT_MAIL_FROM || 'OnePagePay <no-reply@localhost>',
    },
    encryptionKeys: readEncryptionKeys(env, 'ONEPAGEPAY_ENCRYPTION_KEYS'),
    backups: readBackupConfig(env),
    reconciliation: {
      intervalMs: readInteger(env, 'RECONCILE_INTERVAL_MS', 900_000, 0, 86_400_000),
      lookbackHours: readInteger(env, 'RECONCILE_LOOKBACK_HOURS', 72, 1, 24 * 90),
      graceMs: readInteger(env, 'RECONCILE_GRACE_MS', 300_000, 0, 86_400_000),
    },
    metricsToken: readSecretToken(env, 'METRICS_TOKEN'),
    sentry: readSentryConfig(env),
  };
}

function readSecretToken(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < 24 || !/^[\x21-\x7e]+$/.test(value)) {
    throw new ConfigError(`${name} must be at least 24 printable characters (e.g. openssl rand -hex 24).`);
  }
  return value;
}

function readBackupConfig(env: Env): BackupConfig {
  const encrypt = readBoolean(env, 'BACKUP_ENCRYPT', false);
  if (encrypt && !env.ONEPAGEPAY_ENCRYPTION_KEYS) {
    throw new ConfigError(
      'BACKUP_ENCRYPT=true needs ONEPAGEPAY_ENCRYPTION_KEYS: its first key encrypts the backups.',
    );
  }
  return {
    dir: env.BACKUP_DIR ? path.resolve(env.BACKUP_DIR) : undefined,
    intervalHours: readInteger(env, 'BACKUP_INTERVAL_HOURS', 24, 1, 24 * 7),
    retentionDays: readInteger(env, 'BACKUP_RETENTION_DAYS', 7, 1, 3650),
    encrypt,
    pgBinDir: env.PG_BIN_DIR || undefined,
  };
}

function readHubSpotConfig(env: Env): HubSpotConfig {
  const apiBase = readUrl(env, 'HUBSPOT_API_BASE');
  const oauthNames = ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_REDIRECT_URI'] as const;
  const given = oauthNames.filter((name) => env[name]);
  if (given.length > 0 && given.length < oauthNames.length) {
    const missing = oauthNames.filter((name) => !env[name]);
    throw new ConfigError(
      `${missing.join(' and ')} must be set too: HubSpot OAuth needs all of ${oauthNames.join(', ')}.`,
    );
  }
  const redirectUri = readUrl(env, 'HUBSPOT_REDIRECT_URI');
  const timeoutMs = readInteger(env, 'HUBSPOT_TIMEOUT_MS', 15_000, 100, 120_000);
  const leaseMs = readInteger(env, 'HUBSPOT_WORKER_LEASE_MS', 120_000, 1_000, 3_600_000);
  // A worker renews its lease at half-time and makes a call only if the lease outlasts the call's
  // deadline (hubspot/job-lease.ts): a lease under two deadlines would leave it unable to call.
  if (leaseMs < 2 * timeoutMs + LEASE_MARGIN_MS) {
    throw new ConfigError(
      `HUBSPOT_WORKER_LEASE_MS (${leaseMs}) must be at least twice HUBSPOT_TIMEOUT_MS (${timeoutMs}) plus ${LEASE_MARGIN_MS} ms.`,
    );
  }
  return {
    apiBase,
    formsApiBase: readUrl(env, 'HUBSPOT_FORMS_API_BASE') ?? apiBase,
    oauth: redirectUri
      ? {
          clientId: env.HUBSPOT_CLIENT_ID as string,
          clientSecret: env.HUBSPOT_CLIENT_SECRET as string,
          redirectUri,
        }
      : undefined,
    probeToken: env.HUBSPOT_PROBE_TOKEN || undefined,
    timeoutMs,
    worker: {
      enabled: readBoolean(env, 'HUBSPOT_WORKER_ENABLED', true),
      pollMs: readInteger(env, 'HUBSPOT_WORKER_POLL_MS', 1_000, 10, 600_000),
      claimLimit: readInteger(env, 'HUBSPOT_WORKER_CLAIM_LIMIT', 500, 1, 10_000),
      tenantConcurrency: readInteger(env, 'HUBSPOT_WORKER_TENANT_CONCURRENCY', 4, 1, 64),
      batchConcurrency: readInteger(env, 'HUBSPOT_WORKER_BATCH_CONCURRENCY', 4, 1, 16),
      leaseMs,
      maxAttempts: readInteger(env, 'HUBSPOT_MAX_ATTEMPTS', 15, 1, 1_000),
      retryBaseMs: readInteger(env, 'HUBSPOT_RETRY_BASE_MS', 15_000, 1, 3_600_000),
      retryMaxMs: readInteger(env, 'HUBSPOT_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
    },
    formSubmissionDelayMs: readInteger(env, 'HUBSPOT_FORM_SUBMISSION_DELAY_MS', 600_000, 0, 86_400_000),
  };
}

/**
 * TRUST_PROXY=true used to mean "the leftmost X-Forwarded-For entry is the client", an entry the
 * client writes itself. It is refused on its own, so no deployment keeps that meaning silently:
 * the operator states how many proxies append to the header.
 */
function readTrustedProxyHops(env: Env): number {
  const hops = readInteger(env, 'TRUSTED_PROXY_HOPS', 0, 0, 10);
  const legacy = readBoolean(env, 'TRUST_PROXY', false);
  if (legacy && (env.TRUSTED_PROXY_HOPS ?? '') === '') {
    throw new ConfigError(
      'TRUST_PROXY is replaced by TRUSTED_PROXY_HOPS: set it to the number of proxies in front of the relay ' +
        '(1 for one load balancer) and remove TRUST_PROXY. Trusting every X-Forwarded-For entry let clients pick their IP.',
    );
  }
  if (legacy && hops === 0) {
    throw new ConfigError('TRUST_PROXY=true contradicts TRUSTED_PROXY_HOPS=0: remove TRUST_PROXY.');
  }
  return hops;
}

/** `kid:base64key,kid2:base64key2`: each key 32 bytes; the first one encrypts. */
function readSmtpUrl(env: Env, name: string): URL | undefined {
  const url = readUrl(env, name);
  if (url && !['smtp:', 'smtps:'].includes(url.protocol)) {
    throw new ConfigError(
      `${name} must be an smtp:// or smtps:// URL, e.g. smtps://user:pass@smtp.example.com:465.`,
    );
  }
  return url;
}

function readEncryptionKeys(env: Env, name: string): EncryptionKey[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const keys = raw.split(',').map((entry, index) => {
    const [id, encoded, ...rest] = entry.trim().split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || rest.length > 0 || key.length !== 32) {
      throw new ConfigError(
        `${name} entry ${index + 1} must be "<key id>:<32 bytes in base64>" (make one with: openssl rand -base64 32).`,
      );
    }
    return { id, key };
  });
  if (new Set(keys.map((key) => key.id)).size !== keys.length) {
    throw new ConfigError(`${name} lists a key id twice; every key needs its own id.`);
  }
  return keys;
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

/** PAYPAL_<MODE>_CLIENT_ID and _CLIENT_SECRET together (or neither); _WEBHOOK_ID as the dashboard shows it. */
function readPayPalCredentials(env: Env, mode: 'TEST' | 'LIVE'): PayPalCredentials | undefined {
  const [idName, secretName, webhookName] = ['CLIENT_ID', 'CLIENT_SECRET', 'WEBHOOK_ID'].map(
    (suffix) => `PAYPAL_${mode}_${suffix}`,
  ) as [string, string, string];
  const clientId = env[idName];
  const clientSecret = env[secretName];
  const webhookId = env[webhookName] || undefined;
  if (!clientId && !clientSecret) {
    if (webhookId) throw new ConfigError(`${webhookName} needs ${idName} and ${secretName} too.`);
    return undefined;
  }
  if (!clientId || !clientSecret) {
    throw new ConfigError(
      `${clientId ? secretName : idName} must be set too: PayPal needs both client credentials.`,
    );
  }
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(clientId)) {
    throw new ConfigError(`${idName} must be the client id of a PayPal REST app (letters, digits, - and _).`);
  }
  if (webhookId !== undefined && !/^[A-Za-z0-9]{1,50}$/.test(webhookId)) {
    throw new ConfigError(
      `${webhookName} must be the webhook id from the PayPal developer dashboard (letters and digits).`,
    );
  }
  return { clientId, clientSecret, webhookId };
}

function readDatabaseUrl(env: Env, name = 'DATABASE_URL'): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError(`${name} must be a postgres:// or postgresql:// connection string.`);
  }
  // A multi-host URL (host1:5432,host2:5432 with target_session_attrs) is checked here, at start-up.
  parseHostList(value, name);
  return value;
}

function readOrigins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return [];
  return raw.split(',').map((entry) => {
    try {
      const url = new URL(entry.trim());
      if (url.origin === 'null' || url.pathname !== '/' || url.search) throw new Error('not an origin');
      return url.origin;
    } catch {
      throw new ConfigError(
        `${name} must be a comma-separated list of origins such as https://dashboard.example.com, got "${entry}".`,
      );
    }
  });
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
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

export function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!choices.includes(raw as T))
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}".`);
  return raw as T;
}

export function readUrl(env: Env, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}".`);
  }
}
