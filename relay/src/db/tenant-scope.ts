import type { Knex } from 'knex';

/** Which tenant, and which of its two worlds (test or live), a unit of work belongs to. */
export interface TenantScope {
  tenantId: string;
  livemode: boolean;
}

/**
 * Runs `work` in a transaction that is bound to one tenant and mode. The settings are transaction
 * local (`set_config(..., true)`), which row-level security policies read as the second wall behind
 * the application's own `where tenant_id = ...` filters.
 */
export async function inTenantTransaction<T>(
  knex: Knex,
  scope: TenantScope,
  work: (trx: Knex.Transaction) => PromiseLike<T>,
): Promise<T> {
  return knex.transaction(async (trx) => {
    await trx.raw("select set_config('app.tenant_id', ?, true), set_config('app.livemode', ?, true)", [
      scope.tenantId,
      String(scope.livemode),
    ]);
    return await work(trx);
  });
}
