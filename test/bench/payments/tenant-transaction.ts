import type pg from 'pg';
import { BIND_TENANT_SQL, bindTenantValues } from '../../../relay/src/db/sql-session.js';

/**
 * What the relay's inTenantSqlTransaction does, on a bare `pg` pool: one pooled client, begin,
 * bind the tenant (and the app role) with the relay's own statement, the work, commit. The
 * baselines send their statements through this so both sides pay the same per-transaction cost.
 */
export function tenantTransactions(pool: pg.Pool, tenant: { tenantId: string; livemode: boolean }) {
  return async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(BIND_TENANT_SQL, bindTenantValues(tenant));
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
}
