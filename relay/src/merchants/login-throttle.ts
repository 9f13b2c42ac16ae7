import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { RelayError } from '../errors.js';

export interface ThrottleLimits {
  /** Sign-in attempts per email (existing or not) in the window. */
  accountFailures: number;
  /** Sign-in attempts per client IP in the window. */
  ipFailures: number;
  windowSeconds: number;
  blockSeconds: number;
  /** Signups per client IP per signup window. */
  signupsPerIp: number;
  signupWindowSeconds: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  accountFailures: 5,
  ipFailures: 50,
  windowSeconds: 15 * 60,
  blockSeconds: 15 * 60,
  signupsPerIp: 10,
  signupWindowSeconds: 60 * 60,
};

/** One taken attempt: give it back when the credential proved right, so only failures count. */
export interface CredentialAttempt {
  succeeded(): Promise<void>;
}

interface Bucket {
  limiter: RateLimiterAbstract;
  key: string;
}

/**
 * Counts credential checks per email and per client IP (sign-in) and per user (password or 2FA
 * re-checks inside a session, kept apart so a session holder cannot lock the owner's sign-in).
 *
 * An attempt is taken BEFORE the credential is verified, in one atomic increment (an upsert on
 * PostgreSQL, a synchronous counter in memory), and given back only when it proves right. So
 * concurrent guesses cannot all pass a check made before any of them is counted: at most the limit
 * is ever verified. On PostgreSQL the counters live in the database, shared by every relay
 * process; on PGlite (one process by construction) they live in memory.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly perUser: RateLimiterAbstract;
  private readonly signupsPerIp: RateLimiterAbstract;

  constructor(
    limits: Partial<ThrottleLimits> = {},
    /** A PostgreSQL knex (the relay's app connection) to share counters across processes. */
    store?: Knex,
  ) {
    const settings = { ...DEFAULT_THROTTLE_LIMITS, ...limits };
    const limiter = (
      keyPrefix: string,
      tableName: string,
      points: number,
      duration: number,
      blockDuration = settings.blockSeconds,
    ) => {
      const options = { keyPrefix, points, duration, blockDuration };
      return store
        ? new RateLimiterPostgres({
            ...options,
            storeClient: store,
            storeType: 'knex',
            tableName,
            tableCreated: true,
            clearExpiredByTimeout: false,
          })
        : new RateLimiterMemory(options);
    };
    const { accountFailures, ipFailures, windowSeconds } = settings;
    // Keys carry their prefix, so the per-user and signup counters share migration 007's tables.
    this.perAccount = limiter('login-account', 'login_throttle_accounts', accountFailures, windowSeconds);
    this.perUser = limiter('password-user', 'login_throttle_accounts', accountFailures, windowSeconds);
    this.perIp = limiter('login-ip', 'login_throttle_ips', ipFailures, windowSeconds);
    this.signupsPerIp = limiter(
      'signup-ip',
      'login_throttle_ips',
      settings.signupsPerIp,
      settings.signupWindowSeconds,
      // No block: a block would restart the count early; the hour's window itself is the wait.
      0,
    );
  }

  /** Takes a sign-in attempt for the email and the IP, or answers 429 with its Retry-After. */
  beginSignIn(email: string, ip: string): Promise<CredentialAttempt> {
    return take(
      [
        { limiter: this.perAccount, key: accountKey(email) },
        { limiter: this.perIp, key: ip },
      ],
      'Too many failed sign-ins. Sign-in is locked for a while; wait and try again.',
    );
  }

  /** Takes an attempt at the signed-in user's password or second factor (re-auth, password, 2FA). */
  beginCredentialCheck(userId: string): Promise<CredentialAttempt> {
    return take(
      [{ limiter: this.perUser, key: userId }],
      'Too many wrong passwords or codes on this account. Wait and try again.',
    );
  }

  /** Counts one signup from the IP; a signup is never given back. */
  async assertSignupAllowed(ip: string): Promise<void> {
    await take(
      [{ limiter: this.signupsPerIp, key: ip }],
      'Too many signups from this network. Wait and try again.',
    );
  }
}

async function take(buckets: Bucket[], message: string): Promise<CredentialAttempt> {
  const taken: Bucket[] = [];
  for (const bucket of buckets) {
    try {
      await bucket.limiter.consume(bucket.key);
      taken.push(bucket);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // A refused attempt verifies nothing, so it costs the other buckets nothing: a burst at one
      // locked email does not also use up the IP's budget for other accounts.
      await giveBack(taken);
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new RelayError('rate_limited', message, { retryAfterSeconds });
    }
  }
  return { succeeded: () => giveBack(taken) };
}

async function giveBack(buckets: Bucket[]): Promise<void> {
  await Promise.all(buckets.map((bucket) => bucket.limiter.reward(bucket.key, 1)));
}

/** A hash of the normalized email: the counters never hold an address. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
