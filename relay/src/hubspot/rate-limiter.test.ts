import assert from 'node:assert/strict';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import { classifyFailure } from './hubspot-failure.js';
import { PortalRateLimiter } from './rate-limiter.js';

class StepClock implements Clock {
  time = 0;
  now = () => this.time;
  sleep = async (ms: number) => {
    this.time += ms;
  };
}

describe('PortalRateLimiter, backoff and failure classes', () => {
  it('allows Max calls per interval, dating each slot by its answer', async () => {
    const clock = new StepClock();
    const limiter = new PortalRateLimiter(clock);
    limiter.observe({ 'x-hubspot-ratelimit-max': '3', 'x-hubspot-ratelimit-interval-milliseconds': '1000' });
    for (let call = 0; call < 3; call++) {
      const sentAt = await limiter.acquire();
      clock.time += 10;
      limiter.release(sentAt);
    }
    assert.equal(clock.time, 30, 'three calls fit');
    const sentAt = await limiter.acquire();
    assert.equal(clock.time, 1011, 'the fourth waits until the first answer leaves the window');
    limiter.release(sentAt);
    limiter.pauseFor(5000);
    await limiter.acquire();
    assert.ok(clock.time >= 6011, 'a Retry-After pause holds every call');
  });

  it('backs off exponentially with jitter and a cap', () => {
    const options = { baseMs: 1000, maxMs: 60_000 };
    assert.equal(
      backoffMs(1, options, () => 0),
      500,
    );
    assert.equal(
      backoffMs(3, options, () => 0.999_999),
      4000,
    );
    assert.equal(
      backoffMs(30, options, () => 0),
      30_000,
    );
  });

  it('reads 429 policies, Retry-After, 401 and 5xx from @hubspot/api-client errors', () => {
    const daily = classifyFailure({
      code: 429,
      body: { policyName: 'DAILY' },
      headers: { 'Retry-After': '3600' },
    });
    assert.deepEqual(
      [daily.kind, daily.details.policy, daily.details.retryAfterMs],
      ['rate_limited', 'DAILY', 3_600_000],
    );
    assert.equal(
      classifyFailure({ code: 401, body: '{"category":"EXPIRED_AUTHENTICATION"}', headers: {} }).kind,
      'unauthorized',
    );
    assert.equal(
      classifyFailure({ code: 502, body: '<html>cloudflare</html>', headers: {} }).kind,
      'transient',
    );
    const reset = classifyFailure(new TypeError('fetch failed'));
    assert.deepEqual(
      [reset.kind, reset.details.network],
      ['transient', true],
      'no answer at all: retried once at once',
    );
    assert.equal(
      classifyFailure({ code: 400, body: { message: 'Property values were not valid' }, headers: {} }).kind,
      'rejected',
    );
  });
});
