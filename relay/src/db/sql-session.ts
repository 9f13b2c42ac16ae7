import type { Knex } from 'knex';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { APP_ROLE } from './row-security.js';
import type { TenantScope } from './tenant-scope.js';

/** What `pg.Client` and PGlite (the two connections knex hands out here) both do alike. */
interface DriverConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** knex's mark for a connection its pool must destroy rather than reuse. */
  __knex__disposed?: unknown;
}

/**
 * Parameterised SQL (`$1`, `$2`, ...) on one connection. The payment path uses this instead of the
 * query builder: building its statements with objection cost the relay about 1.8 ms of CPU per
 * payment, close to what PostgreSQL spends running them (docs/benchmarks.md).
 */
export interface SqlSession {
  rows<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
}

/**
 * Binds the transaction to one tenant and mode for row-level security, and runs it as the app role,
 * so the policies hold even where one login is both owner and app (PGlite, or a single DATABASE_URL).
 * The payments benchmark's baseline sends the same statement.
 */
export const BIND_TENANT_SQL = `select set_config('app.tenant_id', $1, true), set_config('app.livemode', $2, true),
  set_config('app.livemode_enforced', $3, true), set_config('role', $4, true)`;

export function bindTenantValues(scope: TenantScope, enforceMode = false): unknown[] {
  return [scope.tenantId, String(scope.livemode), enforceMode ? 'on' : 'off', APP_ROLE];
}

async function queryRows<Row>(connection: DriverConnection, text: string, values?: unknown[]) {
  return (await connection.query(text, values)).rows as Row[];
}

/**
 * One statement on its own (autocommit) on a connection taken straight from knex's pool: no query
 * builder, no transaction round trips. For tables without row-level security (card-testing counters).
 */
export async function sqlRows<Row>(knex: Knex, text: string, values?: unknown[]): Promise<Row[]> {
  const connection = (await knex.client.acquireConnection()) as DriverConnection;
  try {
    return await queryRows<Row>(connection, text, values);
  } catch (error) {
    // A broken socket must not serve the next caller.
    if (isDatabaseUnavailable(error)) connection.__knex__disposed = error;
    throw error;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** SQL on the connection of an open knex transaction, for work that mixes both. */
export function sqlSessionOf(trx: Knex.Transaction): SqlSession {
  return {
    rows: async <Row>(text: string, values?: unknown[]) =>
      queryRows<Row>((await trx.client.acquireConnection()) as DriverConnection, text, values),
  };
}

/** Binds an open transaction (knex's or inTenantSqlTransaction's) to a tenant and mode. */
export async function bindTenantSql(session: SqlSession, scope: TenantScope, enforceMode = false) {
  await session.rows(BIND_TENANT_SQL, bindTenantValues(scope, enforceMode));
}

/**
 * Runs `work` in a transaction bound to one tenant and mode, like inTenantTransaction, on a connection
 * taken straight from knex's pool. A connection whose rollback failed is handed back marked for
 * destruction, so a broken socket never serves the next payment.
 */
export async function inTenantSqlTransaction<T>(
  knex: Knex,
  scope: TenantScope,
  work: (session: SqlSession) => Promise<T>,
): Promise<T> {
  const connection = (await knex.client.acquireConnection()) as DriverConnection;
  try {
    await connection.query('begin');
    const session: SqlSession = {
      rows: <Row>(text: string, values?: unknown[]) => queryRows<Row>(connection, text, values),
    };
    let result: T;
    try {
      await bindTenantSql(session, scope);
      result = await work(session);
    } catch (error) {
      await connection.query('rollback').catch((rollbackError: unknown) => {
        connection.__knex__disposed = rollbackError;
      });
      throw error;
    }
    await connection.query('commit').catch((commitError: unknown) => {
      // A primary going away can answer the commit before it closes the socket: never reuse it.
      if (isDatabaseUnavailable(commitError)) connection.__knex__disposed = commitError;
      throw commitError;
    });
    return result;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
