import assert from 'node:assert/strict';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Database } from '../db/open-database.js';
import { createTestDatabase } from '../testing/test-database.js';
import { storedKey, ThrottleStore, type Counter } from './throttle-store.js';

const HOUR: Counter = { prefix: 'pay-ip', durationSeconds: 3600 };
const DAY: Counter = { prefix: 'decline-ip', durationSeconds: 86_400 };

describe('card-testing counters: any number of keys in one statement', function () {
  this.timeout(60_000);
  let database: Database;
  // The relay's own login: the app role on PostgreSQL, as in production.
  const knex = () => (database.app ?? database).knex;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('counts several keys at once, each in its own window, and reads only live counters', async () => {
    let now = 1_000_000;
    const store = new ThrottleStore(knex(), () => now);
    const ip = storedKey(HOUR, '203.0.113.1');
    const declines = storedKey(DAY, '203.0.113.1');
    const first = await store.add(
      [
        [HOUR, ip],
        [DAY, declines],
      ],
      1,
    );
    assert.deepEqual(first.get(ip), { points: 1, msBeforeNext: 3_600_000 });
    assert.deepEqual(first.get(declines), { points: 1, msBeforeNext: 86_400_000 });
    now += 1000;
    const second = await store.add(
      [
        [HOUR, ip],
        [DAY, declines],
      ],
      1,
    );
    assert.deepEqual(second.get(ip), { points: 2, msBeforeNext: 3_599_000 });
    // Past the hour, the IP's window starts again at the new attempt; the day's still counts.
    now += 3_600_000;
    assert.deepEqual([...(await store.read([ip, declines])).keys()], [declines]);
    const third = await store.add(
      [
        [HOUR, ip],
        [DAY, declines],
      ],
      1,
    );
    assert.deepEqual(third.get(ip), { points: 1, msBeforeNext: 3_600_000 });
    assert.equal(third.get(declines)?.points, 3);
    // Giving a point back is the same statement with -1.
    assert.equal((await store.add([[HOUR, ip]], -1)).get(ip)?.points, 0);
    assert.equal((await store.read(['pay-ip:never-seen'])).size, 0);
  });

  it('counts every one of many concurrent admissions on the same keys, in any key order, without deadlock', async () => {
    const store = new ThrottleStore(knex());
    const keys = ['pay-tenant', 'pay-ip', 'pay-email'].map((prefix) =>
      storedKey({ prefix, durationSeconds: 3600 }, crypto.randomUUID()),
    );
    // Every rotation of the three keys: unsorted, two statements lock the same rows in opposite
    // orders and PostgreSQL answers one of them "deadlock detected".
    const count = 90;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        store.add(
          keys.map((_, at) => [HOUR, keys[(at + index) % keys.length]!] as const),
          1,
        ),
      ),
    );
    const seen = await store.read(keys);
    for (const key of keys) assert.equal(seen.get(key)?.points, count);
    // Each statement saw its own increment: 1 to count, once each.
    assert.deepEqual(
      answers.map((answer) => answer.get(keys[0]!)?.points).sort((a, b) => a! - b!),
      Array.from({ length: count }, (_, index) => index + 1),
    );
  });

  it('reads and adds to counters rate-limiter-flexible wrote before (same rows, same key names)', async () => {
    const storeClient = {
      // rate-limiter-flexible's node-pg style queries, on the relay's knex ($n → ? in order).
      query: async ({ text, values = [] }: { text: string; values?: unknown[] }) => {
        const bindings: unknown[] = [];
        const sql = text.replace(/\$(\d+)/g, (_, index: string) => {
          bindings.push(values[Number(index) - 1] ?? null);
          return '?';
        });
        const result = (await knex().raw(sql, bindings as never[])) as { rows: unknown[] };
        return { rows: result.rows, rowCount: result.rows.length };
      },
    };
    const older = new RateLimiterPostgres({
      storeClient,
      storeType: 'client',
      tableName: 'payment_throttle',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'pay-ip',
      points: 10,
      duration: 3600,
    });
    await older.consume('203.0.113.3');
    await older.consume('203.0.113.3');
    const store = new ThrottleStore(knex());
    const key = storedKey(HOUR, '203.0.113.3');
    assert.equal((await store.read([key])).get(key)?.points, 2);
    assert.equal((await store.add([[HOUR, key]], 1)).get(key)?.points, 3);
    assert.equal((await older.get('203.0.113.3'))?.consumedPoints, 3);
  });
});
