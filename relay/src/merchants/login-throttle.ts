import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RelayError } from '../errors.js';

/**
 * Failed sign-ins are counted per email (whether or not the account exists, so a lockout reveals
 * nothing) and per client IP. Past the limit, sign-in is refused for the block time even with the
 * right password. On PostgreSQL the counters live in the database, so every relay process shares
 * them; on PGlite (one process by construction) they live in memory.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;

  constructor(
    private readonly limits = {
      accountFailures: 5,
      ipFailures: 50,
      windowSeconds: 15 * 60,
      blockSeconds: 15 * 60,
    },
    /** A PostgreSQL knex (the relay's app connection) to share counters across processes. */
    store?: Knex,
  ) {
    const limiter = (keyPrefix: string, tableName: string, points: number) => {
      const options = {
        keyPrefix,
        points,
        duration: limits.windowSeconds,
        blockDuration: limits.blockSeconds,
      };
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
    this.perAccount = limiter('login-account', 'login_throttle_accounts', limits.accountFailures);
    this.perIp = limiter('login-ip', 'login_throttle_ips', limits.ipFailures);
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([
      this.perAccount.get(accountKey(email)),
      this.perIp.get(ip),
    ]);
    const blocked =
      (account && account.consumedPoints >= this.limits.accountFailures) ||
      (address && address.consumedPoints >= this.limits.ipFailures);
    if (blocked) {
      throw new RelayError(
        'rate_limited',
        'Too many failed sign-ins. Sign-in is locked for a while; wait 15 minutes and try again.',
      );
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.perAccount.penalty(accountKey(email), 1), this.perIp.penalty(ip, 1)]);
    const account = await this.perAccount.get(accountKey(email));
    if (account && account.consumedPoints >= this.limits.accountFailures) {
      await this.perAccount.block(accountKey(email), this.limits.blockSeconds);
    }
    const address = await this.perIp.get(ip);
    if (address && address.consumedPoints >= this.limits.ipFailures) {
      await this.perIp.block(ip, this.limits.blockSeconds);
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }
}

/** A hash of the normalized email: the counters never hold an address. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
