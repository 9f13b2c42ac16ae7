import assert from 'node:assert/strict';
import type { Database } from '../db/open-database.js';
import { createTestDatabase } from '../testing/test-database.js';
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

describe('LoginThrottle on PostgreSQL: one count for every relay process', function () {
  this.timeout(60_000);
  const limits = { accountFailures: 3, ipFailures: 5, windowSeconds: 60, blockSeconds: 60 };
  let database: Database | undefined;

  before(async function () {
    // PGlite serves one process by construction, so shared counters only exist on PostgreSQL.
    if (!process.env.TEST_DATABASE_URL) return this.skip();
    database = await createTestDatabase();
  });
  after(() => database?.close());

  it('locks an account for every relay once failures spread across relays reach the limit', async () => {
    const app = database!.app?.knex ?? database!.knex;
    const relays = [
      new LoginThrottle(limits, app),
      new LoginThrottle(limits, app),
      new LoginThrottle(limits, app),
    ];
    for (const [index, throttle] of relays.entries()) {
      await throttle.assertAllowed('ada@example.com', `10.0.1.${index}`);
      await throttle.recordFailure('ada@example.com', `10.0.1.${index}`);
    }
    for (const throttle of relays) {
      await assert.rejects(throttle.assertAllowed('Ada@Example.com', '10.0.9.9'), { code: 'rate_limited' });
    }
    await relays[0]!.assertAllowed('grace@example.com', '10.0.9.9');
    const keys = (await database!.knex('login_throttle_accounts').select('key')).map(
      (row) => row.key as string,
    );
    assert.ok(keys.length > 0);
    assert.ok(
      keys.every((key) => !key.includes('@') && !key.includes('ada')),
      'no email is stored',
    );
  });
});
