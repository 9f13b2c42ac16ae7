import fs from 'node:fs/promises';
import path from 'node:path';
import type { BackupConfig, EncryptionKey } from '../config.js';
import type { Database } from '../db/open-database.js';
import { ConfigError } from '../errors.js';
import { encryptBackup } from './backup-cipher.js';
import { backupFileName, parseBackupFileName, type BackupFile } from './backup-files.js';
import { dumpDatabase, type DumpSource, type Progress } from './dump-database.js';

export interface BackupSettings {
  backups: BackupConfig;
  encryptionKeys: readonly EncryptionKey[];
  /** The schema owner's connection string on PostgreSQL (pg_dump must see every tenant's rows). */
  ownerUrl: string | undefined;
}

/**
 * Dumps the database into `dir` under a dated name. The dump is written beside its final name and
 * renamed into place only once whole (and encrypted, when configured), so a crash or a full disk
 * never leaves a file that looks like a backup.
 */
export async function takeBackup(options: {
  database: Database;
  settings: BackupSettings;
  dir: string;
  now: Date;
  encrypt: boolean;
  progress?: Progress;
}): Promise<BackupFile> {
  const { database, settings, dir, now, encrypt } = options;
  const key = settings.encryptionKeys[0];
  if (encrypt && !key) {
    throw new ConfigError(
      'Encrypted backups need ONEPAGEPAY_ENCRYPTION_KEYS (the first key encrypts); set it or drop --encrypt / BACKUP_ENCRYPT.',
    );
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const name = backupFileName(database.kind, now, encrypt);
  const partial = path.join(dir, `.${name}.partial`);
  const sealed = path.join(dir, `.${name}.sealed`);
  try {
    await dumpDatabase(dumpSourceOf(database, settings), partial, options.progress);
    if (encrypt && key) {
      await encryptBackup(partial, sealed, key);
      await fs.rename(sealed, path.join(dir, name));
    } else {
      await fs.rename(partial, path.join(dir, name));
    }
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(sealed, { force: true });
  }
  return parseBackupFileName(name, dir) as BackupFile;
}

function dumpSourceOf(database: Database, settings: BackupSettings): DumpSource {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('A PGlite database handle must carry its PGlite instance.');
    return { kind: 'pglite', knex: database.knex, pglite: database.pglite };
  }
  const ownerUrl = settings.ownerUrl ?? database.connectionString;
  if (!ownerUrl) throw new ConfigError('Backups on PostgreSQL need DATABASE_OWNER_URL or DATABASE_URL.');
  return { kind: 'postgres', knex: database.knex, ownerUrl, pgBinDir: settings.backups.pgBinDir };
}
