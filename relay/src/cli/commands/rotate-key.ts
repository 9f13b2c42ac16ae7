import path from 'node:path';
import { CommanderError } from 'commander';
import { rotateBackups, type BackupRotation } from '../../backups/rotate-backups.js';
import { rotateSecrets, rotationIncomplete, type RotationReport } from '../../secrets/rotate-secrets.js';
import type { RegisterCommands } from '../cli-context.js';
import { progressBar } from '../progress-bar.js';

function counts(byKey: Record<string, number>): string {
  const entries = Object.entries(byKey);
  return entries.length === 0 ? 'none' : entries.map(([key, count]) => `${count} under "${key}"`).join(', ');
}

function printReport(
  print: (line: string) => void,
  report: RotationReport,
  backups: BackupRotation | undefined,
): void {
  const verb = report.dryRun ? 'to rotate' : 'left';
  print(`current key: "${report.currentKeyId}"${report.dryRun ? ' (dry run: nothing written)' : ''}`);
  for (const column of report.columns) {
    const line = `${column.name}: ${column.current} current, ${column.rotated} rotated, ${verb}: ${counts(column.remaining)}`;
    const unreadable = Object.keys(column.unreadable).length
      ? `; unreadable: ${counts(column.unreadable)}`
      : '';
    const raced = column.changedMeanwhile ? `; ${column.changedMeanwhile} changed meanwhile (run again)` : '';
    print(line + unreadable + raced);
  }
  if (backups) {
    print(
      `encrypted backups: ${backups.current} current, ${backups.rotated.length} rotated, ${verb}: ${counts(backups.remaining)}`,
    );
  }
}

export const registerRotateKeyCommand: RegisterCommands = (program, context) => {
  program
    .command('rotate-key')
    .description(
      'Re-seal every stored secret (HubSpot tokens, TOTP secrets) and encrypted backup under the first ONEPAGEPAY_ENCRYPTION_KEYS key; resumable',
    )
    .option('--dry-run', 'count what is under which key without writing', false)
    .option('--no-backups', 'leave the encrypted backups in BACKUP_DIR as they are')
    .option('--json', 'print the report as JSON', false)
    .action(async (options: { dryRun: boolean; backups: boolean; json: boolean }) => {
      const incomplete = await context.withDatabase(async (database, config) => {
        const bar = options.json ? undefined : progressBar('rotate-key: secrets');
        const report = await rotateSecrets(database.knex, config.encryptionKeys, {
          dryRun: options.dryRun,
          onProgress: (done, total) => bar?.update(done, total),
        }).finally(() => bar?.stop());
        const backupDir = config.backups.dir ?? path.resolve('backups');
        const backups = options.backups
          ? await rotateBackups(backupDir, config.encryptionKeys, { dryRun: options.dryRun })
          : undefined;
        if (options.json) context.printJson({ ...report, ...(backups ? { backups } : {}) });
        else printReport(context.print, report, backups);
        const left = rotationIncomplete(report) || Object.keys(backups?.remaining ?? {}).length > 0;
        if (!options.json && !options.dryRun) {
          context.print(
            left
              ? 'Some secrets are still under an old key: keep every key listed and run rotate-key again.'
              : `Every secret is under "${report.currentKeyId}": the other keys can leave ONEPAGEPAY_ENCRYPTION_KEYS once every relay runs with "${report.currentKeyId}" first.`,
          );
        }
        return left && !options.dryRun;
      });
      // Exit 3 while anything is left, so a script never drops an old key too early.
      if (incomplete) throw new CommanderError(3, 'rotate-key.incomplete', 'rotation incomplete');
    });
};
