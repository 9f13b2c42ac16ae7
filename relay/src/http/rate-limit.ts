import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RelayError } from '../errors.js';

/** A per-client-IP budget per minute on a group of public routes; over it answers 429 with Retry-After. */
export function rateLimitPerIp(name: string, perMinute: number): Middleware {
  const limiter = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  return async (ctx, next) => {
    try {
      const result = await limiter.consume(ctx.ip);
      ctx.set('RateLimit-Limit', String(perMinute));
      ctx.set('RateLimit-Remaining', String(result.remainingPoints));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      throw new RelayError('rate_limited', 'Too many requests. Wait a moment and try again.');
    }
    await next();
  };
}
