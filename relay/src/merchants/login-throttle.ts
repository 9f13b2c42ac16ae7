import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RelayError } from '../errors.js';

/**
 * Failed sign-ins are counted per email (whether or not the account exists, so a lockout reveals
 * nothing) and per client IP. Past the limit, sign-in is refused for the block time even with the
 * right password. Counters live in this process: behind several relays, pin logins to one or put
 * the counters in a shared store (rate-limiter-flexible has PostgreSQL and Redis stores).
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(
    private readonly limits = {
      accountFailures: 5,
      ipFailures: 50,
      windowSeconds: 15 * 60,
      blockSeconds: 15 * 60,
    },
  ) {
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: limits.accountFailures,
      duration: limits.windowSeconds,
      blockDuration: limits.blockSeconds,
    });
    this.perIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: limits.ipFailures,
      duration: limits.windowSeconds,
      blockDuration: limits.blockSeconds,
    });
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

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
