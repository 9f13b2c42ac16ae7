import type { Knex } from 'knex';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

interface StoreQuery {
  text: string;
  values?: unknown[];
}

/**
 * rate-limiter-flexible's PostgreSQL store sends node-pg style queries (`$1` placeholders) on a
 * connection it acquires itself, which PGlite's knex dialect does not offer. This client runs the
 * same statements through knex instead, so the one store works on PGlite and PostgreSQL alike and,
 * on PostgreSQL, every relay on the database shares the counters.
 */
export function knexStoreClient(knex: Knex) {
  return {
    async query({ text, values = [] }: StoreQuery) {
      const bindings: unknown[] = [];
      // Placeholders may repeat ($4 twice): knex binds `?` in order of appearance.
      const sql = text.replace(/\$(\d+)/g, (_, index: string) => {
        bindings.push(values[Number(index) - 1] ?? null);
        return '?';
      });
      const result = (await knex.raw(sql, bindings as Knex.RawBinding[])) as {
        rows: unknown[];
        rowCount?: number | null;
        affectedRows?: number;
      };
      // PGlite reports affectedRows 0 for a SELECT; the store reads rowCount as "rows found".
      const changed = result.rowCount ?? result.affectedRows ?? 0;
      return { rows: result.rows, rowCount: result.rows.length || changed };
    },
  };
}

/** A counter in migration 018's `payment_throttle` table; keys carry `keyPrefix`, so limiters share it. */
export function throttleLimiter(
  knex: Knex,
  options: { keyPrefix: string; points: number; duration: number; blockDuration?: number },
): RateLimiterAbstract {
  return new RateLimiterPostgres({
    ...options,
    storeClient: knexStoreClient(knex),
    storeType: 'client',
    tableName: 'payment_throttle',
    tableCreated: true,
    // Expired rows are overwritten in place by the upsert; a sweep timer per limiter is not needed.
    clearExpiredByTimeout: false,
  });
}
