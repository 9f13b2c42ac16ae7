import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/open-database.js';
import type { RelayConfig } from '../config.js';
import { systemClock, type Clock } from '../hubspot/clock.js';
import type { Logger } from '../logger.js';
import { listBackups, pruneBackups, type BackupFile } from './backup-files.js';
import { takeBackup, type BackupSettings } from './take-backup.js';

/** Any fixed number: relays sharing a database agree on it, so only one of them dumps at a time. */
const BACKUP_LOCK_KEY = 7_340_211;
const CHECK_EVERY_MS = 10 * 60_000;

/**
 * The relay's daily backup: every few minutes it asks whether the newest backup in BACKUP_DIR is
 * older than the interval, takes one if so, and prunes what is past retention. Deciding from the
 * files (not from a timer started at boot) means a relay restarted every hour still backs up once
 * a day, and relays that share the directory and the database take one backup between them.
 */
export class BackupSchedule {
  private readonly stopped = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: {
      database: Database;
      settings: BackupSettings & { backups: { dir: string } };
      clock: Clock;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }

  /** One check: back up if due, then prune. Exposed so tests can drive it with a simulated clock. */
  async runDue(): Promise<{ taken: BackupFile | undefined; pruned: BackupFile[] }> {
    const { database } = this.options;
    if (database.kind === 'postgres') {
      return database.knex.transaction(async (trx) => {
        const result = (await trx.raw('select pg_try_advisory_xact_lock(?) as got', [BACKUP_LOCK_KEY])) as {
          rows: Array<{ got: boolean }>;
        };
        if (!result.rows[0]?.got) return { taken: undefined, pruned: [] };
        return this.backUpIfDue();
      });
    }
    return this.backUpIfDue();
  }

  private async backUpIfDue(): Promise<{ taken: BackupFile | undefined; pruned: BackupFile[] }> {
    const { settings, clock, database, logger } = this.options;
    const { dir, intervalHours, retentionDays, encrypt } = settings.backups;
    const now = new Date(clock.now());
    const newest = (await listBackups(dir)).at(-1);
    const due = !newest || now.getTime() - newest.takenAt.getTime() >= intervalHours * 3_600_000;
    let taken: BackupFile | undefined;
    if (due) {
      const started = Date.now();
      taken = await takeBackup({ database, settings, dir, now, encrypt });
      logger.info({ backup: taken.name, ms: Date.now() - started }, 'backup taken');
    }
    const pruned = await pruneBackups(dir, now, retentionDays);
    if (pruned.length > 0) logger.info({ pruned: pruned.map((file) => file.name) }, 'old backups pruned');
    return { taken, pruned };
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      try {
        await this.runDue();
      } catch (error) {
        this.options.logger.error({ err: error }, 'backup failed; will try again at the next check');
      }
      await sleep(CHECK_EVERY_MS, undefined, { signal: this.stopped.signal, ref: false }).catch(
        () => undefined,
      );
    }
  }
}

/** Starts the daily backup when BACKUP_DIR is set; otherwise there is nothing to run. */
export function startBackupSchedule(options: {
  config: RelayConfig;
  database: Database;
  logger: Logger;
}): BackupSchedule | undefined {
  const { config } = options;
  const dir = config.backups.dir;
  if (!dir) return undefined;
  const schedule = new BackupSchedule({
    database: options.database,
    settings: {
      backups: { ...config.backups, dir },
      encryptionKeys: config.encryptionKeys,
      ownerUrl: config.databaseOwnerUrl ?? config.databaseUrl,
    },
    clock: systemClock,
    logger: options.logger,
  });
  schedule.start();
  return schedule;
}
