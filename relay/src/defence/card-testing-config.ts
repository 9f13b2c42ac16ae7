import { ConfigError } from '../errors.js';
import { readChoice, readInteger, readUrl, type Env } from '../config.js';

export type ChallengeProvider = 'turnstile' | 'hcaptcha';

/** The documented siteverify endpoints; CHALLENGE_VERIFY_URL points the relay at the sandbox fake. */
const VERIFY_URLS: Record<ChallengeProvider, string> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
};

/** Where the sandbox fake serves each widget's api.js: the providers' own paths, on its origin. */
const SCRIPT_PATHS: Record<ChallengeProvider, string> = {
  turnstile: '/turnstile/v0/api.js',
  hcaptcha: '/1/api.js',
};

export interface ChallengeConfig {
  provider: ChallengeProvider;
  siteKey: string;
  secretKey: string;
  verifyUrl: URL;
  /**
   * The widget script the SDK loads, only when CHALLENGE_VERIFY_URL points at a fake (the sandbox
   * serves its widget beside its siteverify, as PAYPAL_API_BASE gives the PayPal JS SDK's URL);
   * undefined: the SDK loads the provider's own api.js.
   */
  scriptUrl?: string | undefined;
  timeoutMs: number;
}

/** Limits on card payments that make card testing slow and loud (docs/security.md#card-testing). */
export interface CardTestingConfig {
  attemptsPerIpPerHour: number;
  attemptsPerEmailPerHour: number;
  attemptsPerTenantPerHour: number;
  /** Declines after which the email (or IP) may not pay for a day. */
  declinesPerEmailPerDay: number;
  declinesPerIpPerDay: number;
  /** Failed answers (declines, failed 3-D Secure) one attempt id may collect. */
  failuresPerAttempt: number;
  /** The relay's CAPTCHA widget; tenants opt in with their `challenge` policy. */
  challenge: ChallengeConfig | undefined;
  /** CHALLENGE_VERIFY_URL: a siteverify fake, also asked for tenants' own keys (at the provider's path). */
  challengeFakeUrl: URL | undefined;
  challengeTimeoutMs: number;
}

export function readCardTestingConfig(env: Env): CardTestingConfig {
  const per = (name: string, fallback: number) => readInteger(env, name, fallback, 1, 10_000_000);
  return {
    attemptsPerIpPerHour: per('CARD_ATTEMPTS_PER_IP_PER_HOUR', 30),
    attemptsPerEmailPerHour: per('CARD_ATTEMPTS_PER_EMAIL_PER_HOUR', 10),
    attemptsPerTenantPerHour: per('CARD_ATTEMPTS_PER_TENANT_PER_HOUR', 3_000),
    declinesPerEmailPerDay: per('CARD_DECLINES_PER_EMAIL_PER_DAY', 5),
    declinesPerIpPerDay: per('CARD_DECLINES_PER_IP_PER_DAY', 10),
    failuresPerAttempt: per('CARD_FAILURES_PER_ATTEMPT', 3),
    challenge: readChallengeConfig(env),
    challengeFakeUrl: readUrl(env, 'CHALLENGE_VERIFY_URL'),
    challengeTimeoutMs: readInteger(env, 'CHALLENGE_TIMEOUT_MS', 5_000, 100, 60_000),
  };
}

/**
 * A tenant's own widget keys as a ChallengeConfig: the provider's siteverify, or the fake's
 * (CHALLENGE_VERIFY_URL's origin, at the provider's own paths, which the sandbox serves).
 */
export function challengeConfigFor(
  keys: { provider: ChallengeProvider; siteKey: string; secretKey: string },
  config: Pick<CardTestingConfig, 'challengeFakeUrl' | 'challengeTimeoutMs'>,
): ChallengeConfig {
  const fake = config.challengeFakeUrl;
  const verify = new URL(VERIFY_URLS[keys.provider]);
  return {
    ...keys,
    verifyUrl: fake ? new URL(verify.pathname, fake) : verify,
    scriptUrl: scriptUrlFor(keys.provider, config),
    timeoutMs: config.challengeTimeoutMs,
  };
}

/** The fake's copy of the provider's widget script; undefined: the provider's own. */
export function scriptUrlFor(
  provider: ChallengeProvider,
  config: Pick<CardTestingConfig, 'challengeFakeUrl'>,
): string | undefined {
  return config.challengeFakeUrl ? new URL(SCRIPT_PATHS[provider], config.challengeFakeUrl).href : undefined;
}

function readChallengeConfig(env: Env): ChallengeConfig | undefined {
  const names = ['CHALLENGE_PROVIDER', 'CHALLENGE_SITE_KEY', 'CHALLENGE_SECRET_KEY'] as const;
  const given = names.filter((name) => env[name]);
  if (given.length === 0) return undefined;
  if (given.length < names.length) {
    const missing = names.filter((name) => !env[name]);
    throw new ConfigError(
      `${missing.join(' and ')} must be set too: a CAPTCHA needs all of ${names.join(', ')}.`,
    );
  }
  const provider = readChoice(env, 'CHALLENGE_PROVIDER', 'turnstile', ['turnstile', 'hcaptcha'] as const);
  const fakeVerifyUrl = readUrl(env, 'CHALLENGE_VERIFY_URL');
  return {
    provider,
    siteKey: env.CHALLENGE_SITE_KEY as string,
    secretKey: env.CHALLENGE_SECRET_KEY as string,
    verifyUrl: fakeVerifyUrl ?? new URL(VERIFY_URLS[provider]),
    scriptUrl: fakeVerifyUrl ? new URL(SCRIPT_PATHS[provider], fakeVerifyUrl).href : undefined,
    timeoutMs: readInteger(env, 'CHALLENGE_TIMEOUT_MS', 5_000, 100, 60_000),
  };
}
