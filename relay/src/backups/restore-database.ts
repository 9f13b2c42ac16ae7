import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EncryptionKey } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { ensureAppRole } from '../db/row-security.js';
import { ConfigError } from '../errors.js';
import type { Knex } from 'knex';
import { decryptBackup, isEncryptedBackup } from './backup-cipher.js';
import type { Progress } from './dump-database.js';
import { runPgTool } from './run-pg-tool.js';

export type RestoreTarget =
  { kind: 'postgres'; ownerUrl: string; pgBinDir: string | undefined } | { kind: 'pglite'; dataDir: string };

/**
 * Restores a backup into an empty database: a new PostgreSQL database, or a PGlite data directory
 * that does not exist yet. It never overwrites data, so a restore run against the wrong
 * DATABASE_URL fails instead of destroying it. Encrypted backups are opened with the key named in
 * their header.
 */
export async function restoreDatabase(options: {
  file: string;
  target: RestoreTarget;
  encryptionKeys: readonly EncryptionKey[];
  progress?: Progress;
}): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-restore-'));
  try {
    let dump = options.file;
    if (await isEncryptedBackup(dump)) {
      dump = path.join(work, 'backup.dump');
      await decryptBackup(options.file, dump, options.encryptionKeys);
    }
    const format = await dumpFormatOf(dump);
    if (format !== options.target.kind) {
      throw new ConfigError(
        `${options.file} is a ${format === 'postgres' ? 'PostgreSQL' : 'PGlite'} backup; restore it into ` +
          (format === 'postgres'
            ? 'a PostgreSQL database (DATABASE_URL).'
            : 'a PGlite data directory (no DATABASE_URL).'),
      );
    }
    if (options.target.kind === 'postgres') await restorePostgres(dump, options.target, options.progress);
    else await restorePglite(dump, options.target.dataDir, options.progress);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function dumpFormatOf(file: string): Promise<'postgres' | 'pglite'> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    if (head.toString('latin1') === 'PGDMP') return 'postgres';
    if (head.toString('latin1').startsWith('--')) return 'pglite';
  } finally {
    await handle.close();
  }
  throw new ConfigError(`${file} is not a OnePagePay backup (neither a pg_dump archive nor a SQL dump).`);
}

async function restorePostgres(
  dump: string,
  target: { ownerUrl: string; pgBinDir: string | undefined },
  progress?: Progress,
): Promise<void> {
  const database = await openDatabase({ databaseUrl: target.ownerUrl, dataDir: '', as: 'owner' });
  try {
    await refuseUnlessEmpty(database.knex, 'the database in DATABASE_OWNER_URL / DATABASE_URL');
    await ensureAppRole(database.knex);
  } finally {
    await database.close();
  }
  let done = 0;
  await runPgTool({
    tool: 'pg_restore',
    args: [
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${pgDatabaseOf(target.ownerUrl)}`,
      dump,
    ],
    connectionString: target.ownerUrl,
    binDir: target.pgBinDir,
    onTable: () => progress?.(++done, Math.max(done, 1)),
  });
}

async function restorePglite(dump: string, dataDir: string, progress?: Progress): Promise<void> {
  const entries = await fs.readdir(dataDir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new ConfigError(
      `${dataDir} is not empty: restore into a new ONEPAGEPAY_DATA_DIR, then point the relay at it.`,
    );
  }
  const database = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    await ensureAppRole(database.knex);
    progress?.(0, 1);
    // One simple-protocol query: the whole dump applies in one implicit transaction, or not at all.
    await database.pglite?.exec(await fs.readFile(dump, 'utf8'));
    progress?.(1, 1);
  } catch (error) {
    await database.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    throw new ConfigError(`The restore failed and left nothing behind: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await database.close();
}

async function refuseUnlessEmpty(knex: Knex, what: string): Promise<void> {
  const result = (await knex.raw(
    "select count(*)::int as count from pg_tables where schemaname = 'public'",
  )) as { rows: Array<{ count: number }> };
  if ((result.rows[0]?.count ?? 0) > 0) {
    throw new ConfigError(
      `${what} already has tables: restore into a new, empty database (createdb) and point the relay at it.`,
    );
  }
}

/** pg_restore wants the target named; libpq's environment supplies host, user and password. */
function pgDatabaseOf(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || 'postgres';
}
