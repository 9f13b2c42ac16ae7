import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { isDatabaseUnavailable } from './database-unavailable.js';

const require = createRequire(import.meta.url);
// knex's own PostgreSQL dialect; knex exports only its base Client type, so it is typed as that,
// plus the one method overridden below.
const PgClient = require('knex/lib/dialects/postgres/index.js') as new (
  config: Knex.Config,
) => Knex.Client & { _query(connection: PoolConnection, query: unknown): Promise<unknown> };

/** knex's mark on a connection its pool must destroy rather than hand out again. */
interface PoolConnection {
  __knex__disposed?: unknown;
}

/**
 * knex's PostgreSQL client, except that every new pool connection goes to the host `selectHost`
 * answers with at that moment. After a failover the connections to the old primary break, the
 * pool destroys them, and the next ones are opened on the new primary, with no restart.
 */
export function multiHostClient(selectHost: () => Promise<string>): typeof Knex.Client {
  return class MultiHostPgClient extends PgClient {
    override async acquireRawConnection(): Promise<unknown> {
      const connectionString = await selectHost();
      // The dialect reads these settings synchronously when it makes the connection, so two
      // connections being created at once cannot pick up each other's host.
      this.connectionSettings = { connectionString, keepAlive: true };
      return super.acquireRawConnection();
    }

    override async _query(connection: PoolConnection, query: unknown): Promise<unknown> {
      try {
        return await super._query(connection, query);
      } catch (error) {
        // A server that is shutting down or read-only answers the query before it closes the
        // socket, so the pool could hand the connection out again before it sees the close.
        if (isDatabaseUnavailable(error)) connection.__knex__disposed ??= error;
        throw error;
      }
    }
  } as unknown as typeof Knex.Client;
}
