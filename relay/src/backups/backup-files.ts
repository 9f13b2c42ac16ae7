import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Backups are files named `onepagepay-<kind>-<UTC timestamp>.dump` (`.enc` when encrypted), so the
 * retention rule reads each file's age from its name, not from file times that a copy or a restore
 * from object storage would change.
 */
const NAME = /^onepagepay-(pglite|postgres)-(\d{8}T\d{6}Z)\.dump(\.enc)?$/;

export interface BackupFile {
  name: string;
  path: string;
  kind: 'pglite' | 'postgres';
  takenAt: Date;
  encrypted: boolean;
}

export function backupFileName(kind: 'pglite' | 'postgres', takenAt: Date, encrypted: boolean): string {
  const stamp = takenAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `onepagepay-${kind}-${stamp}.dump${encrypted ? '.enc' : ''}`;
}

export function parseBackupFileName(name: string, dir = '.'): BackupFile | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  const [, kind, stamp, enc] = match as unknown as [string, 'pglite' | 'postgres', string, string?];
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const takenAt = new Date(iso);
  if (Number.isNaN(takenAt.getTime())) return undefined;
  return { name, path: path.join(dir, name), kind, takenAt, encrypted: Boolean(enc) };
}

/** The backups in `dir`, oldest first; other files are never touched. */
export async function listBackups(dir: string): Promise<BackupFile[]> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .map((name) => parseBackupFileName(name, dir))
    .filter((file): file is BackupFile => file !== undefined)
    .sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}

/**
 * Deletes backups older than `keepDays` days before `now`. The newest backup is always kept, so a
 * relay that was down for a week never prunes its way to having none.
 */
export async function pruneBackups(dir: string, now: Date, keepDays: number): Promise<BackupFile[]> {
  const backups = await listBackups(dir);
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const newest = backups.at(-1);
  const expired = backups.filter((file) => file !== newest && file.takenAt.getTime() < cutoff);
  for (const file of expired) await fs.rm(file.path, { force: true });
  return expired;
}
