import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RelayError } from '../errors.js';
import { SingleFlight } from '../payments/singleflight.js';
import type { Tenant } from '../db/models/tenant.js';
import type { TokenCipher } from '../hubspot/token-cipher.js';
import { challengeSecretContext } from '../secrets/sealed-columns.js';
import {
  challengeConfigFor,
  scriptUrlFor,
  type CardTestingConfig,
  type ChallengeConfig,
} from './card-testing-config.js';
import type { ChallengeVerifier } from './challenge-verifier.js';
import { storedKey, ThrottleStore, type Counted, type Counter } from './throttle-store.js';

export type ChallengePolicy = 'off' | 'after_decline' | 'always';

/** What the guard reads of a tenant: its policy and its own widget keys, if any (secret sealed). */
export type TenantChallenge = Pick<
  Tenant,
  'id' | 'challenge' | 'challengeProvider' | 'challengeSiteKey' | 'challengeSecret'
>;

export interface PaymentAttempt {
  ip: string;
  tenantId: string;
  /** The payer's email; a PayPal order is created before PayPal tells it, so it may be absent. */
  email?: string | undefined;
  attemptId: string;
  /** The tenant's CAPTCHA policy and keys (tenants.challenge*). */
  tenant: TenantChallenge;
  challengeToken?: string | undefined;
}

/** The CAPTCHA a form's public config names, for the SDK to render before it pays. */
export interface PublicChallenge {
  provider: 'turnstile' | 'hcaptcha';
  siteKey: string;
  policy: Exclude<ChallengePolicy, 'off'>;
  scriptUrl?: string;
}

/** Why the guard refused a payment, for metrics. */
export type Refusal =
  'ip' | 'email' | 'tenant' | 'declines' | 'attempt' | 'challenge_required' | 'challenge_failed';

/** The answers that count as a failed card payment: declines and failed 3-D Secure. */
const FAILURES = ['card_declined', 'payment_failed', 'payment_authentication_failed', 'instrument_declined'];

const HOUR = 3600;
const DAY = 24 * HOUR;

const PER_IP: Counter = { prefix: 'pay-ip', durationSeconds: HOUR };
const PER_EMAIL: Counter = { prefix: 'pay-email', durationSeconds: HOUR };
const PER_TENANT: Counter = { prefix: 'pay-tenant', durationSeconds: HOUR };
const DECLINES_PER_EMAIL: Counter = { prefix: 'decline-email', durationSeconds: DAY };
const DECLINES_PER_IP: Counter = { prefix: 'decline-ip', durationSeconds: DAY };
const FAILURES_PER_ATTEMPT: Counter = { prefix: 'fail-attempt', durationSeconds: DAY };
/** Attempt ids whose token passed: the SDK's retries of the same request need no second token. */
const CHALLENGE_PASSED: Counter = { prefix: 'challenge-passed', durationSeconds: HOUR };

/**
 * Card testers try many stolen cards through one public form: from many IPs, with many emails,
 * against one tenant. Each payment attempt is counted per IP, per payer email and per tenant; each
 * decline per email, per IP and per attempt id. The counters live in PostgreSQL (migration 018),
 * so every relay on the database enforces the same limits; an admission reads its decline counters
 * in one statement and counts the attempt in another (throttle-store.ts). A tenant may also ask for a CAPTCHA,
 * on every payment or once its payer or IP has a decline; the token is verified server-side.
 */
export class CardTestingGuard {
  private readonly counters: ThrottleStore;
  /**
   * Concurrent copies of one attempt (a double click, the SDK's retry racing its original) are
   * one payment: they share one check and count once, and cost the database one round of queries.
   */
  private readonly admissions = new SingleFlight<void>();
  /**
   * Attempts this process let through in the last minute. A later copy of the very same request
   * (same attempt id, same payer, same token) cannot charge anew: the relay answers it from the
   * recorded transaction, and a changed request is an attempt_conflict. So it is not counted again.
   */
  private readonly admitted = new Map<string, { fingerprint: string; expiresAt: number }>();
  private readonly failures = new SingleFlight<void>();

  constructor(
    knex: Knex,
    private readonly config: CardTestingConfig,
    /** Opens the tenants' sealed CAPTCHA secrets. */
    private readonly cipher: TokenCipher,
    /** A siteverify client for one set of keys (the relay's or a tenant's); injected for tests. */
    private readonly verifierFor: (challenge: ChallengeConfig) => ChallengeVerifier,
    private readonly onRefusal: (reason: Refusal) => void = () => undefined,
  ) {
    this.counters = new ThrottleStore(knex);
  }

  /** Lets a payment attempt through, or throws 429 too_many_attempts / 403 challenge_required|failed. */
  admit(attempt: PaymentAttempt): Promise<void> {
    const { challenge, challengeSiteKey } = attempt.tenant;
    const fingerprint = JSON.stringify([
      attempt.ip,
      attempt.email,
      attempt.challengeToken,
      challenge,
      challengeSiteKey,
    ]);
    const key = `${attempt.tenantId}/${attempt.attemptId}`;
    const seen = this.admitted.get(key);
    if (seen && seen.fingerprint === fingerprint && seen.expiresAt > Date.now()) return Promise.resolve();
    const flight = this.admissions.run(key, fingerprint, async () => {
      await this.admitOnce(attempt);
      if (this.admitted.size >= 10_000) this.admitted.clear();
      this.admitted.set(key, { fingerprint, expiresAt: Date.now() + 60_000 });
    });
    return flight.sameRequest ? flight.promise : this.admitOnce(attempt);
  }

  /**
   * The widget the SDK renders for a tenant's policy (in the form's public config), or null when
   * the tenant asks for none or the relay has no CAPTCHA keys (then nothing is asked: see below).
   */
  widgetFor(tenant: TenantChallenge): PublicChallenge | null {
    const policy = tenant.challenge;
    if (policy === 'off') return null;
    // The public part only: the tenant's secret is not opened for a form's config.
    const { challengeProvider: own, challengeSiteKey: ownSiteKey } = tenant;
    const widget =
      own && ownSiteKey
        ? { provider: own, siteKey: ownSiteKey, scriptUrl: scriptUrlFor(own, this.config) }
        : this.config.challenge;
    if (!widget) return null;
    const { provider, siteKey, scriptUrl } = widget;
    return { provider, siteKey, policy, ...(scriptUrl ? { scriptUrl } : {}) };
  }

  /** The keys a tenant's payers are checked with: its own, else the relay's; none: no CAPTCHA. */
  private challengeFor(tenant: TenantChallenge): ChallengeConfig | undefined {
    const { id, challengeProvider, challengeSiteKey, challengeSecret } = tenant;
    if (!challengeProvider || !challengeSiteKey || !challengeSecret) return this.config.challenge;
    const secretKey = this.cipher.open(challengeSecret, challengeSecretContext(id));
    return challengeConfigFor(
      { provider: challengeProvider, siteKey: challengeSiteKey, secretKey },
      this.config,
    );
  }

  private async admitOnce(attempt: PaymentAttempt): Promise<void> {
    const policy = attempt.tenant.challenge;
    const keys = admissionKeys(attempt);
    // One read for every counter the decision needs (the CAPTCHA pass only if one may be asked).
    const seen = await this.counters.read(keys.read);
    const emailDeclines = keys.emailDeclines ? seen.get(keys.emailDeclines) : undefined;
    const ipDeclines = seen.get(keys.ipDeclines);
    this.refuseIfSpent(seen.get(keys.failures), this.config.failuresPerAttempt, 'attempt');
    this.refuseIfSpent(emailDeclines, this.config.declinesPerEmailPerDay, 'declines');
    this.refuseIfSpent(ipDeclines, this.config.declinesPerIpPerDay, 'declines');
    const declined = (emailDeclines?.points ?? 0) + (ipDeclines?.points ?? 0) > 0;
    if (policy === 'always' || (policy === 'after_decline' && declined)) {
      await this.checkChallenge(attempt, seen.has(keys.passed));
    }
    await this.take(attemptBuckets(attempt, this.config));
  }

  /** Counts a failed answer (a decline, failed 3-D Secure) against the email, IP and attempt id. */
  async recordFailure(
    attempt: Pick<PaymentAttempt, 'ip' | 'attemptId'> & { email?: string },
    code: string,
  ): Promise<void> {
    if (!FAILURES.includes(code)) return;
    // A failed attempt is checked again on its next copy, so the per-attempt cap can bite.
    for (const key of this.admitted.keys())
      if (key.endsWith(`/${attempt.attemptId}`)) this.admitted.delete(key);
    const fingerprint = JSON.stringify([attempt.ip, attempt.email, code]);
    const flight = this.failures.run(attempt.attemptId, fingerprint, () => this.countFailure(attempt));
    await flight.promise;
  }

  private async countFailure(
    attempt: Pick<PaymentAttempt, 'ip' | 'attemptId'> & { email?: string },
  ): Promise<void> {
    const counted: Array<[Counter, string]> = [
      [DECLINES_PER_IP, attempt.ip],
      [FAILURES_PER_ATTEMPT, attempt.attemptId],
    ];
    if (attempt.email) counted.push([DECLINES_PER_EMAIL, emailKey(attempt.email)]);
    // Counted without refusing: the limit is enforced by the next admit().
    await this.counters.add(
      counted.map(([counter, key]) => [counter, storedKey(counter, key)] as const),
      1,
    );
  }

  private async checkChallenge(attempt: PaymentAttempt, alreadyPassed: boolean): Promise<void> {
    const challenge = this.challengeFor(attempt.tenant);
    // A tenant asked for a CAPTCHA but neither it nor the relay has keys: fail closed is worse for
    // payers than the limits alone, so the limits stay the defence (the merchant API's `active`
    // says so, and docs/security.md says to set the keys).
    if (!challenge) return;
    if (alreadyPassed) return;
    const widget = { provider: challenge.provider, siteKey: challenge.siteKey };
    if (!attempt.challengeToken) {
      this.onRefusal('challenge_required');
      throw new RelayError('challenge_required', 'Solve the CAPTCHA, then send the payment again.', {
        challenge: widget,
      });
    }
    let verdict;
    try {
      verdict = await this.verifierFor(challenge)(attempt.challengeToken, attempt.ip);
    } catch (cause) {
      throw new RelayError(
        'provider_unavailable',
        'The CAPTCHA service is not answering. Try again shortly.',
        {
          cause,
        },
      );
    }
    if (!verdict.success) {
      this.onRefusal('challenge_failed');
      throw new RelayError('challenge_failed', 'The CAPTCHA was not solved or has expired. Solve it again.', {
        challenge: widget,
      });
    }
    await this.counters.add([[CHALLENGE_PASSED, storedKey(CHALLENGE_PASSED, attempt.attemptId)]], 1);
  }

  private refuseIfSpent(counted: Counted | undefined, limit: number, reason: Refusal): void {
    if (!counted || counted.points < limit) return;
    this.onRefusal(reason);
    throw tooManyAttempts(counted.msBeforeNext);
  }

  /**
   * Takes one attempt from every bucket at once, in one statement. A bucket over its limit refuses
   * (the first, in the order given, names the reason) and keeps the attempt; the others get theirs
   * back, as rate-limiter-flexible's consume-then-reward did.
   */
  private async take(buckets: ReadonlyArray<readonly [Counter, string, number, Refusal]>): Promise<void> {
    const keyed = buckets.map(([counter, key, limit, reason]) => ({
      counter,
      key: storedKey(counter, key),
      limit,
      reason,
    }));
    const taken = await this.counters.add(
      keyed.map(({ counter, key }) => [counter, key] as const),
      1,
    );
    const over = (bucket: (typeof keyed)[number]) => (taken.get(bucket.key)?.points ?? 0) > bucket.limit;
    const refused = keyed.find(over);
    if (!refused) return;
    await this.counters.add(
      keyed.filter((bucket) => !over(bucket)).map(({ counter, key }) => [counter, key] as const),
      -1,
    );
    this.onRefusal(refused.reason);
    throw tooManyAttempts(taken.get(refused.key)?.msBeforeNext ?? 0);
  }
}

/**
 * The stored keys an admission reads: the attempt's failures, the IP's and the email's declines and,
 * when the tenant may ask for a CAPTCHA, whether this attempt already passed one.
 */
export function admissionKeys(
  attempt: Pick<PaymentAttempt, 'ip' | 'email' | 'attemptId'> & {
    tenant: Pick<TenantChallenge, 'challenge'>;
  },
) {
  const email = attempt.email ? emailKey(attempt.email) : undefined;
  const failures = storedKey(FAILURES_PER_ATTEMPT, attempt.attemptId);
  const ipDeclines = storedKey(DECLINES_PER_IP, attempt.ip);
  const emailDeclines = email ? storedKey(DECLINES_PER_EMAIL, email) : undefined;
  const passed = storedKey(CHALLENGE_PASSED, attempt.attemptId);
  const read = [
    failures,
    ipDeclines,
    ...(emailDeclines ? [emailDeclines] : []),
    ...(attempt.tenant.challenge === 'off' ? [] : [passed]),
  ];
  return { read, failures, ipDeclines, emailDeclines, passed };
}

/** The buckets an admitted attempt is counted in (counter, key, limit, refusal), in refusal order. */
export function attemptBuckets(
  attempt: Pick<PaymentAttempt, 'ip' | 'email' | 'tenantId'>,
  config: CardTestingConfig,
): Array<readonly [Counter, string, number, Refusal]> {
  const email = attempt.email ? emailKey(attempt.email) : undefined;
  return [
    [PER_IP, attempt.ip, config.attemptsPerIpPerHour, 'ip'],
    ...(email ? [[PER_EMAIL, email, config.attemptsPerEmailPerHour, 'email'] as const] : []),
    [PER_TENANT, attempt.tenantId, config.attemptsPerTenantPerHour, 'tenant'],
  ];
}

function tooManyAttempts(msBeforeNext: number): RelayError {
  return new RelayError('too_many_attempts', 'Too many payment attempts. Wait a while, then try again.', {
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });
}

/** A hash of the normalized email: the counters never hold an address. */
function emailKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
