import fs from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { Knex } from 'knex';
import { runPgTool } from './run-pg-tool.js';

export type DumpSource =
  | { kind: 'pglite'; knex: Knex; pglite: PGlite }
  | { kind: 'postgres'; knex: Knex; ownerUrl: string; pgBinDir: string | undefined };

export type Progress = (done: number, total: number) => void;

/**
 * Writes a consistent dump of the whole database to `file`: pg_dump's custom format on PostgreSQL
 * (one snapshot, restorable with pg_restore), plain SQL on PGlite (its bundled pg_dump). Runs as
 * the schema owner: the app role sees only one tenant's rows through row-level security.
 */
export async function dumpDatabase(source: DumpSource, file: string, progress?: Progress): Promise<void> {
  const total = await countTables(source.knex);
  let done = 0;
  progress?.(done, total);
  if (source.kind === 'postgres') {
    await runPgTool({
      tool: 'pg_dump',
      args: ['--format=custom', `--file=${file}`],
      connectionString: source.ownerUrl,
      binDir: source.pgBinDir,
      onTable: () => progress?.(Math.min(++done, total), total),
    });
  } else {
    await dumpPglite(source, file);
  }
  progress?.(total, total);
}

/**
 * PGlite is one session: pg_dump's BEGIN/COMMIT would land inside whatever transaction the relay
 * has open on it. Holding knex's only connection while dumping keeps the two apart.
 */
async function dumpPglite(source: { knex: Knex; pglite: PGlite }, file: string): Promise<void> {
  const client = source.knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    const dump = await pgDump({ pg: source.pglite, args: ['--no-owner'] });
    await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  } finally {
    await client.releaseConnection(connection);
  }
}

async function countTables(knex: Knex): Promise<number> {
  const result = (await knex.raw(
    "select count(*)::int as count from pg_tables where schemaname = 'public'",
  )) as { rows: Array<{ count: number }> };
  return result.rows[0]?.count ?? 0;
}
