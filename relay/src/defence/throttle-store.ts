import type { Knex } from 'knex';
import { sqlRows } from '../db/sql-session.js';

/**
 * The card-testing counters' statements, on migration 018's `payment_throttle` (key, points, expire
 * in epoch ms). Each reads or counts any number of keys in one round trip. The rows keep the layout
 * and the `prefix:key` names rate-limiter-flexible's PostgreSQL store used before, so counters
 * written by an older relay still count. The payments benchmark's baseline sends these same texts.
 */
export const THROTTLE_SQL = {
  /** The live counters among keys $1 at time $2; an expired row reads as no row. */
  read: `select key, points, expire from payment_throttle
     where key = any($1::text[]) and (expire > $2 or expire is null)`,
  /**
   * Adds $2 points to each key of $1 at time $3; a key whose window ($4, ms, per key) ran out starts a
   * new one. Keys are inserted in sorted order, so two of these never wait on each other's rows in
   * opposite orders (no deadlock).
   */
  add: `insert into payment_throttle (key, points, expire)
     select key, $2::integer, $3::bigint + duration
       from unnest($1::text[], $4::bigint[]) as counted(key, duration) order by key
     on conflict (key) do update set
       points = case when payment_throttle.expire <= $3 then excluded.points
                     else payment_throttle.points + excluded.points end,
       expire = case when payment_throttle.expire <= $3 then excluded.expire
                     else payment_throttle.expire end
     returning key, points, expire`,
} as const;

/** One counter: a prefix (`pay-ip`), the window it counts over and the limit in that window. */
export interface Counter {
  prefix: string;
  durationSeconds: number;
}

/** A counter's live value: points in the window, and when the window ends. */
export interface Counted {
  points: number;
  msBeforeNext: number;
}

/** A key as stored: `prefix:key`, as rate-limiter-flexible named them. */
export function storedKey(counter: Counter, key: string): string {
  return `${counter.prefix}:${key}`;
}

/** Values for THROTTLE_SQL.read. */
export function readValues(keys: readonly string[], now: number): unknown[] {
  return [keys, now];
}

/** Values for THROTTLE_SQL.add; `counted` pairs a stored key with its counter. */
export function addValues(
  counted: ReadonlyArray<readonly [Counter, string]>,
  points: number,
  now: number,
): unknown[] {
  const sorted = [...counted].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    sorted.map(([, key]) => key),
    points,
    now,
    sorted.map(([counter]) => counter.durationSeconds * 1000),
  ];
}

interface CounterRow {
  key: string;
  points: number | string;
  expire: number | string | null;
}

/**
 * The counters in PostgreSQL (or PGlite), shared by every relay on the database. Every call is one
 * statement, so an admission costs two round trips (read the declines, count the attempt) where one
 * per counter used to cost six.
 */
export class ThrottleStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live counters among `keys` (stored keys), by key; absent: nothing counted in the window. */
  async read(keys: readonly string[]): Promise<Map<string, Counted>> {
    const now = this.now();
    const rows = await sqlRows<CounterRow>(this.knex, THROTTLE_SQL.read, readValues(keys, now));
    return countedByKey(rows, now);
  }

  /** Adds `points` (negative gives them back) to every key; returns each key's new value. */
  async add(
    counted: ReadonlyArray<readonly [Counter, string]>,
    points: number,
  ): Promise<Map<string, Counted>> {
    if (counted.length === 0) return new Map();
    const now = this.now();
    const rows = await sqlRows<CounterRow>(this.knex, THROTTLE_SQL.add, addValues(counted, points, now));
    return countedByKey(rows, now);
  }
}

function countedByKey(rows: readonly CounterRow[], now: number): Map<string, Counted> {
  return new Map(
    rows.map((row) => [
      row.key,
      {
        points: Number(row.points),
        msBeforeNext: row.expire === null ? -1 : Math.max(0, Number(row.expire) - now),
      },
    ]),
  );
}
