import fs from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import lockfile from 'proper-lockfile';
import { Model } from 'objection';
import { ConfigError } from '../errors.js';

export interface Database {
  knex: Knex;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Opens real PostgreSQL when a URL is given, else the embedded PGlite in `dataDir`. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

export function openPostgres(
  connectionString: string,
  pool: Knex.PoolConfig = { min: 0, max: 10 },
): Database {
  const knex = knexFactory({ client: 'pg', connection: connectionString, pool });
  Model.knex(knex);
  return { knex, kind: 'postgres', close: () => knex.destroy() };
}

/**
 * PGlite has no directory lock of its own and two processes on one directory silently lose writes,
 * so the relay takes a lock file first and refuses to start when another process holds it.
 */
async function openPglite(dataDir: string): Promise<Database> {
  await fs.mkdir(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, { stale: 15_000, update: 5_000, realpath: false });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new ConfigError(
        `Another relay process is using the data directory ${dataDir} (lock ${dataDir}.lock). ` +
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
  return { knex, kind: 'pglite', close: () => knex.destroy() };
}
