import fs from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { Model } from 'objection';
import { ConfigError } from '../errors.js';
import { DataDirInUseError, dataDirLockPath, lockDataDir } from './data-dir-lock.js';
import { multiHostClient } from './multi-host-client.js';
import { registerOwnerConnection } from './owner-connection.js';
import { createHostSelector, parseHostList } from './primary-host.js';

export interface Database {
  knex: Knex;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL connection string, for tools that open their own connections (benchmarks, dumps). */
  connectionString?: string;
  /** The embedded database itself (PGlite only), for dumps that must speak to it directly. */
  pglite?: PGlite;
  close(): Promise<void>;
  /**
   * On an owner handle (tests): the handle the relay itself should use, connected as the app role
   * that neither owns the tables nor bypasses row-level security.
   */
  app?: Database;
}

/**
 * Opens real PostgreSQL when a URL is given, else the embedded PGlite in `dataDir`.
 *
 * On PostgreSQL the relay connects with `databaseUrl` (the app role's login) and migrates with
 * `databaseOwnerUrl` when given; `as: 'owner'` opens only the owner connection, for operator
 * commands that look across tenants. PGlite has one superuser session, so there every tenant
 * transaction switches to the app role itself (see tenant-scope.ts).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  databaseOwnerUrl?: string | undefined;
  dataDir: string;
  as?: 'app' | 'owner';
}): Promise<Database> {
  if (!options.databaseUrl) return openPglite(options.dataDir);
  const ownerUrl = options.databaseOwnerUrl ?? options.databaseUrl;
  if (options.as === 'owner') return openPostgres(ownerUrl);
  const app = openPostgres(options.databaseUrl);
  if (ownerUrl === options.databaseUrl) return app;
  const owner = openPostgres(ownerUrl, { min: 0, max: 2 }, { bindModels: false });
  registerOwnerConnection(app.knex, owner.knex);
  return { ...app, close: () => Promise.all([app.close(), owner.close()]).then(() => undefined) };
}

/**
 * A URL listing several hosts (`host1:5432,host2:5432`, as pg_auto_failover's `show uri` prints it)
 * opens each new pool connection on the host that matches its `target_session_attrs` at that moment,
 * so the relay follows a failover without a restart.
 */
export function openPostgres(
  connectionString: string,
  pool: Knex.PoolConfig = { min: 0, max: 10 },
  options: { bindModels?: boolean } = {},
): Database {
  const hosts = parseHostList(connectionString);
  const knex = knexFactory({
    client: hosts ? multiHostClient(createHostSelector(hosts)) : 'pg',
    connection: hosts ? (hosts.urls[0] as string) : connectionString,
    pool,
  });
  if (options.bindModels ?? true) Model.knex(knex);
  return { knex, kind: 'postgres', connectionString, close: () => knex.destroy() };
}

/** One relay process per PGlite directory (data-dir-lock.ts says why and how). */
async function openPglite(dataDir: string): Promise<Database> {
  await fs.mkdir(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new ConfigError(
        `Another relay process is using the data directory ${dataDir} (lock ${dataDirLockPath(dataDir)}). ` +
          'Stop it, or point ONEPAGEPAY_DATA_DIR at another directory.',
      );
    }
    throw error;
  }
  try {
    const database = pgliteDatabase(new PGlite(dataDir, { parsers: PGLITE_PARSERS }));
    await database.knex.raw('select 1');
    return { ...database, close: () => database.close().finally(release) };
  } catch (error) {
    await release();
    throw error;
  }
}

/** int8 as a string, as node-pg returns it, so code behaves the same on both databases. */
export const PGLITE_PARSERS = { [types.INT8]: (value: string) => value };

export function pgliteDatabase(pglite: PGlite): Database {
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as unknown as Knex.StaticConnectionConfig,
  });
  Model.knex(knex);
  return { knex, kind: 'pglite', pglite, close: () => knex.destroy() };
}
