import assert from 'node:assert/strict';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  const limits = { accountFailures: 3, ipFailures: 5, windowSeconds: 60, blockSeconds: 60 };

  it('locks one email after its failures, from any IP, and leaves other emails alone', async () => {
    const throttle = new LoginThrottle(limits);
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      await throttle.recordFailure('Ada@Example.com', ip);
    await assert.rejects(throttle.assertAllowed('ada@example.com', '10.0.0.9'), { code: 'rate_limited' });
    await throttle.assertAllowed('grace@example.com', '10.0.0.9');
  });

  it('locks one IP that tries many emails', async () => {
    const throttle = new LoginThrottle(limits);
    for (let index = 0; index < 5; index += 1)
      await throttle.recordFailure(`user${index}@example.com`, '10.0.0.7');
    await assert.rejects(throttle.assertAllowed('fresh@example.com', '10.0.0.7'), { code: 'rate_limited' });
    await throttle.assertAllowed('fresh@example.com', '10.0.0.8');
  });

  it('forgets an account’s failures after a successful sign-in', async () => {
    const throttle = new LoginThrottle(limits);
    await throttle.recordFailure('ada@example.com', '10.0.0.1');
    await throttle.recordFailure('ada@example.com', '10.0.0.1');
    await throttle.recordSuccess('ada@example.com');
    await throttle.recordFailure('ada@example.com', '10.0.0.1');
    await throttle.assertAllowed('ada@example.com', '10.0.0.1');
  });
});
