import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import type { Database } from '../db/open-database.js';
import { createTestDatabase } from '../testing/test-database.js';
import { LoginThrottle } from './login-throttle.js';

/**
 * Runs on the store the relay uses for the database under test: PostgreSQL counters (shared by
 * every relay process) with TEST_DATABASE_URL, in-memory counters on PGlite.
 */
describe('LoginThrottle', function () {
  this.timeout(60_000);
  const limits = { accountFailures: 5, ipFailures: 8, windowSeconds: 60, blockSeconds: 60 };
  let database: Database;
  let store: Knex | undefined;

  before(async () => {
    database = await createTestDatabase();
    store = database.kind === 'postgres' ? (database.app?.knex ?? database.knex) : undefined;
  });
  after(() => database?.close());

  const newThrottle = () => new LoginThrottle(limits, store);
  const email = () => `ada-${crypto.randomUUID().slice(0, 8)}@example.com`;

  it('grants 5 of 60 concurrent sign-in attempts for one email and refuses the rest with a wait', async () => {
    const throttle = newThrottle();
    const address = email();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, index) => throttle.beginSignIn(address, `10.0.${index}.1`)),
    );
    const granted = results.filter((result) => result.status === 'fulfilled');
    assert.equal(granted.length, 5);
    for (const result of results.filter((item) => item.status === 'rejected')) {
      assert.equal(result.reason.code, 'rate_limited');
      assert.ok(result.reason.retryAfterSeconds >= 1, 'a refusal says how long to wait');
    }
  });

  it('gives a right credential its attempt back without forgetting the failures before it', async () => {
    const throttle = newThrottle();
    const address = email();
    for (let index = 0; index < 3; index += 1) await throttle.beginSignIn(address, '10.1.0.1');
    await (await throttle.beginSignIn(address, '10.1.0.1')).succeeded();
    await throttle.beginSignIn(address, '10.1.0.1');
    await throttle.beginSignIn(inCapitals(address), '10.1.0.2');
    await assert.rejects(throttle.beginSignIn(address, '10.1.0.3'), { code: 'rate_limited' });
  });

  it('locks one IP that tries many emails, and leaves other IPs alone', async () => {
    const throttle = newThrottle();
    for (let index = 0; index < 8; index += 1) await throttle.beginSignIn(email(), '10.2.0.7');
    await assert.rejects(throttle.beginSignIn(email(), '10.2.0.7'), { code: 'rate_limited' });
    await throttle.beginSignIn(email(), '10.2.0.8');
  });

  it('charges the IP nothing for attempts refused at a locked email', async () => {
    const throttle = newThrottle();
    const address = email();
    for (let index = 0; index < 20; index += 1)
      await throttle.beginSignIn(address, '10.3.0.1').catch(() => undefined);
    for (let index = 0; index < 3; index += 1) await throttle.beginSignIn(email(), '10.3.0.1');
  });

  it('counts password and 2FA re-checks per user, apart from sign-in by email', async () => {
    const throttle = newThrottle();
    const userId = crypto.randomUUID();
    for (let index = 0; index < 5; index += 1) await throttle.beginCredentialCheck(userId);
    await assert.rejects(throttle.beginCredentialCheck(userId), { code: 'rate_limited' });
    await throttle.beginCredentialCheck(crypto.randomUUID());
    await throttle.beginSignIn(email(), '10.4.0.1');
  });

  it('shares the counts of every relay process on PostgreSQL, and stores no email', async function () {
    if (!store) return this.skip();
    const relays = [newThrottle(), newThrottle(), newThrottle()];
    const address = email();
    for (const [index, throttle] of [...relays, ...relays.slice(0, 2)].entries())
      await throttle.beginSignIn(address, `10.5.1.${index}`);
    for (const throttle of relays)
      await assert.rejects(throttle.beginSignIn(inCapitals(address), '10.5.9.9'), { code: 'rate_limited' });
    const keys = (await database.knex('login_throttle_accounts').select('key')).map(
      (row) => row.key as string,
    );
    assert.ok(keys.length > 0);
    assert.ok(
      // The local part has a dash, which a hex hash never does, so a match could only be the address.
      keys.every((key) => !key.includes('@') && !key.includes(address.split('@')[0]!)),
      'no email is stored',
    );
  });
});

/** The same address as typed with other capitals: counts are per normalized email. */
function inCapitals(address: string): string {
  return address.toUpperCase();
}
