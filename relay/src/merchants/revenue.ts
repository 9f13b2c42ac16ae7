import type { Knex } from 'knex';
import { Type, type Static } from '@sinclair/typebox';
import { Currency } from '@onepagepay/protocol';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';

export const RevenueDays = Type.Object({
  object: Type.Literal('revenue'),
  days: Type.Integer({ minimum: 1, maximum: 366 }),
  data: Type.Array(
    Type.Object({
      day: Type.String({ format: 'date', description: 'UTC day' }),
      currency: Currency,
      net: Type.Integer({ description: 'Paid minus refunded, minor units' }),
      count: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type RevenueDays = Static<typeof RevenueDays>;

/** Money kept: paid minus refunded. Disputed payments count until the dispute is lost (a refund). */
const PAID_STATUSES = ['succeeded', 'partially_refunded', 'refunded', 'disputed'];

export function readDays(raw: unknown): number {
  if (raw === undefined) return 30;
  if (typeof raw !== 'string' || !/^[0-9]{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 366) {
    throw new RelayError('invalid_request', 'days must be a whole number from 1 to 366.');
  }
  return Number(raw);
}

/** Net revenue per UTC day and currency over the last `days` days (today included), oldest first. */
export async function revenueByDay(knex: Knex, scope: TenantScope, days: number): Promise<RevenueDays> {
  const rows = await inTenantModeTransaction(knex, scope, async (trx) => {
    const result = (await trx.raw(
      `select to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, currency,
              sum(amount - amount_refunded)::bigint as net, count(*)::int as count
         from transactions
        where tenant_id = ? and livemode = ? and status = any(?::text[])
          and created_at >= (now() at time zone 'UTC')::date - (? - 1) * interval '1 day'
        group by 1, 2
        order by 1, 2`,
      [scope.tenantId, scope.livemode, PAID_STATUSES, days],
    )) as { rows: Array<{ day: string; currency: string; net: string | number; count: number }> };
    return result.rows;
  });
  return {
    object: 'revenue',
    days,
    data: rows.map((row) => ({
      day: row.day,
      currency: row.currency.trim(),
      net: Number(row.net),
      count: row.count,
    })),
  };
}
