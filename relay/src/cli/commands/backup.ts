import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { listBackups, pruneBackups } from '../../backups/backup-files.js';
import { restoreDatabase, type RestoreTarget } from '../../backups/restore-database.js';
import { takeBackup } from '../../backups/take-backup.js';
import type { RelayConfig } from '../../config.js';
import { ConfigError } from '../../errors.js';
import type { RegisterCommands } from '../cli-context.js';
import { progressBar } from '../progress-bar.js';

export const registerBackupCommands: RegisterCommands = (program, context) => {
  program
    .command('backup')
    .description('Dump the whole database into a dated file (pg_dump custom format, or SQL for PGlite)')
    .option('--dir <dir>', 'where to write it (default: BACKUP_DIR, else ./backups)')
    .option('--encrypt', 'encrypt with the first ONEPAGEPAY_ENCRYPTION_KEYS key (default: BACKUP_ENCRYPT)')
    .option('--prune', 'then delete backups older than BACKUP_RETENTION_DAYS (default 7)', false)
    .action(async (options: { dir?: string; encrypt?: boolean; prune: boolean }) => {
      await context.withDatabase(
        async (database, config) => {
          const dir = backupDir(config, options.dir);
          const bar = progressBar('backup: tables');
          const file = await takeBackup({
            database,
            settings: backupSettings(config),
            dir,
            now: new Date(),
            encrypt: options.encrypt ?? config.backups.encrypt,
            progress: (done, total) => bar.update(done, total),
          }).finally(() => bar.stop());
          context.print(file.path);
          if (options.prune) {
            for (const gone of await pruneBackups(dir, new Date(), config.backups.retentionDays)) {
              context.print(`pruned ${gone.path}`);
            }
          }
        },
        { migrate: false },
      );
    });

  program
    .command('backups')
    .description('List the backups in BACKUP_DIR (or --dir), oldest first')
    .option('--dir <dir>', 'the backup directory (default: BACKUP_DIR, else ./backups)')
    .option('--json', 'print JSON', false)
    .action(async (options: { dir?: string; json: boolean }) => {
      const backups = await listBackups(backupDir(context.config(), options.dir));
      if (options.json) {
        context.print(
          JSON.stringify(
            backups.map(({ name, path: file, kind, takenAt, encrypted }) => ({
              name,
              path: file,
              kind,
              takenAt,
              encrypted,
            })),
          ),
        );
        return;
      }
      for (const file of backups) {
        context.print(
          `${file.takenAt.toISOString()}  ${file.kind}  ${file.encrypted ? 'encrypted' : 'plain'}  ${file.path}`,
        );
      }
    });

  program
    .command('restore')
    .description(
      'Restore a backup into an empty database (a new PostgreSQL database or PGlite data directory)',
    )
    .argument('<file>', 'the backup file')
    .option('--yes', 'do not ask for confirmation (scripts)', false)
    .action(async (file: string, options: { yes: boolean }) => {
      const config = context.config();
      const target = restoreTarget(config);
      const where = target.kind === 'postgres' ? redact(target.ownerUrl) : `PGlite at ${target.dataDir}`;
      if (!options.yes) await confirm(`Restore ${file} into ${where}? Type "restore" to go on: `);
      const bar = progressBar('restore: tables');
      await restoreDatabase({
        file: path.resolve(file),
        target,
        encryptionKeys: config.encryptionKeys,
        progress: (done, total) => bar.update(done, total),
      }).finally(() => bar.stop());
      context.print(`restored ${file} into ${where}`);
    });
};

function backupDir(config: RelayConfig, given: string | undefined): string {
  return path.resolve(given ?? config.backups.dir ?? 'backups');
}

function backupSettings(config: RelayConfig) {
  return {
    backups: config.backups,
    encryptionKeys: config.encryptionKeys,
    ownerUrl: config.databaseOwnerUrl ?? config.databaseUrl,
  };
}

function restoreTarget(config: RelayConfig): RestoreTarget {
  const ownerUrl = config.databaseOwnerUrl ?? config.databaseUrl;
  return ownerUrl
    ? { kind: 'postgres', ownerUrl, pgBinDir: config.backups.pgBinDir }
    : { kind: 'pglite', dataDir: config.dataDir };
}

async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new ConfigError(
      'restore asks for confirmation on a terminal; pass --yes to restore from a script.',
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if ((await prompt.question(question)).trim() !== 'restore') throw new ConfigError('Nothing restored.');
  } finally {
    prompt.close();
  }
}

function redact(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password) url.password = '***';
  return url.toString();
}
