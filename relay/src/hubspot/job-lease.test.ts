import assert from 'node:assert/strict';
import knexFactory from 'knex';
import { JobLease, LEASE_MARGIN_MS, LeaseLost } from './job-lease.js';

/** A database that cannot be reached (nothing listens on port 1): every renewal fails. */
function unreachableDatabase() {
  return knexFactory({
    client: 'pg',
    connection: { host: '127.0.0.1', port: 1, user: 'nobody', connectionTimeoutMillis: 500 },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 1_000,
    // The refused connections are the point of these tests, not news.
    log: { warn() {}, error() {}, debug() {}, deprecate() {} },
  });
}

describe('JobLease with the database unreachable', () => {
  const knex = unreachableDatabase();
  after(() => knex.destroy());
  const scope = { tenantId: '00000000-0000-4000-8000-000000000001', livemode: false };

  function leaseEndingIn(ms: number, clock = { now: () => 1_000_000 }) {
    return new JobLease({ knex, clock, leaseMs: 60_000 }, scope, 'token', clock.now() + ms);
  }

  it('still makes a call the lease it holds outlasts, though renewing failed', async () => {
    // 20 s left of a 60 s lease: it tries to renew (under half left), cannot, and 20 s still cover a 5 s call.
    await leaseEndingIn(20_000).ensure(5_000);
  });

  it('refuses a call the lease might not outlast once renewing failed', async () => {
    await assert.rejects(leaseEndingIn(5_000 + LEASE_MARGIN_MS - 1).ensure(5_000), (error: unknown) => {
      assert.ok(error instanceof LeaseLost);
      assert.match(error.message, /could not be renewed/);
      return true;
    });
  });

  it('refuses at once a lease that has already run out, without asking the database', async () => {
    const started = Date.now();
    await assert.rejects(leaseEndingIn(-1).ensure(5_000), /ran out before it was renewed/);
    assert.ok(Date.now() - started < 200, 'no connection was tried');
  });

  it('makes no database round trip while more than half the lease is left', async () => {
    const started = Date.now();
    await leaseEndingIn(40_000).ensure(5_000);
    assert.ok(Date.now() - started < 200);
  });
});
