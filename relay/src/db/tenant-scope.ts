import type { Knex } from 'knex';
import { bindTenantSql, sqlSessionOf } from './sql-session.js';

/** Which tenant, and which of its two worlds (test or live), a unit of work belongs to. */
export interface TenantScope {
  tenantId: string;
  livemode: boolean;
}

/**
 * Runs `work` in a transaction that is bound to one tenant and mode. The settings are transaction
 * local (`set_config(..., true)`), which row-level security policies read as the second wall behind
 * the application's own `where tenant_id = ...` filters. The transaction also runs as the app role
 * (`SET LOCAL ROLE`), so the wall stands even where one login serves as owner and app (PGlite, or
 * a single DATABASE_URL).
 */
export async function inTenantTransaction<T>(
  knex: Knex,
  scope: TenantScope,
  work: (trx: Knex.Transaction) => PromiseLike<T>,
): Promise<T> {
  return scopedTransaction(knex, scope, false, work);
}

/**
 * Like inTenantTransaction, and row-level security also hides the rows of the other mode: the
 * merchant API, whose mode comes from the key or session, reads through this.
 */
export async function inTenantModeTransaction<T>(
  knex: Knex,
  scope: TenantScope,
  work: (trx: Knex.Transaction) => PromiseLike<T>,
): Promise<T> {
  return scopedTransaction(knex, scope, true, work);
}

async function scopedTransaction<T>(
  knex: Knex,
  scope: TenantScope,
  enforceMode: boolean,
  work: (trx: Knex.Transaction) => PromiseLike<T>,
): Promise<T> {
  return knex.transaction(async (trx) => {
    await bindTenant(trx, scope, { enforceMode });
    return await work(trx);
  });
}

/** Binds an open transaction to a tenant (for work that first creates the tenant, as signup does). */
export async function bindTenant(
  trx: Knex.Transaction,
  scope: TenantScope,
  options: { enforceMode?: boolean } = {},
): Promise<void> {
  await bindTenantSql(sqlSessionOf(trx), scope, options.enforceMode ?? false);
}
