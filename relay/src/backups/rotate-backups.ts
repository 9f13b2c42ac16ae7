import fs from 'node:fs/promises';
import path from 'node:path';
import type { EncryptionKey } from '../config.js';
import { backupKeyId, decryptBackup, encryptBackup } from './backup-cipher.js';
import { listBackups } from './backup-files.js';

export interface BackupRotation {
  /** Encrypted backups already under the current key. */
  current: number;
  rotated: string[];
  /** Backups under another key after the run (in a dry run: what it would rotate), by key id. */
  remaining: Record<string, number>;
}

/**
 * Re-encrypts the encrypted backups in `dir` under the first key. Each file is decrypted and
 * encrypted into temporary files beside it (names no backup listing matches) and then renamed over
 * the original, so an interrupted run leaves every backup whole under one key or the other, and a
 * second run finishes the rest. Plain backups (BACKUP_ENCRYPT off) are left as they are.
 */
export async function rotateBackups(
  dir: string,
  keys: readonly EncryptionKey[],
  options: { dryRun: boolean },
): Promise<BackupRotation> {
  const current = keys[0];
  const report: BackupRotation = { current: 0, rotated: [], remaining: {} };
  if (!current) return report;
  for (const backup of await listBackups(dir)) {
    if (!backup.encrypted) continue;
    const keyId = await backupKeyId(backup.path);
    if (keyId === current.id) {
      report.current += 1;
      continue;
    }
    if (options.dryRun || !keys.some((key) => key.id === keyId)) {
      report.remaining[keyId] = (report.remaining[keyId] ?? 0) + 1;
      continue;
    }
    const plain = path.join(dir, `.rotating-${backup.name}.plain`);
    const sealed = path.join(dir, `.rotating-${backup.name}`);
    try {
      await decryptBackup(backup.path, plain, keys);
      await encryptBackup(plain, sealed, current);
      await fs.rename(sealed, backup.path);
      report.rotated.push(backup.name);
    } finally {
      await fs.rm(plain, { force: true });
      await fs.rm(sealed, { force: true });
    }
  }
  return report;
}
