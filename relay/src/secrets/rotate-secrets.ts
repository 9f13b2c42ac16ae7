import type { Knex } from 'knex';
import type { EncryptionKey } from '../config.js';
import { ConfigError } from '../errors.js';
import { TokenCipher } from '../hubspot/token-cipher.js';
import { SEALED_COLUMNS, type SealedColumn } from './sealed-columns.js';

/** The key id the report gives a secret stored in plain text by an older release. */
export const PLAIN_TEXT = 'plain-text';

export interface ColumnRotation {
  name: string;
  /** Secrets already under the current key when the run started. */
  current: number;
  /** Secrets this run re-sealed under the current key (0 in a dry run). */
  rotated: number;
  /** Secrets still under another key after the run, by key id (in a dry run: what it would rotate). */
  remaining: Record<string, number>;
  /** Of those, the ones that did not open: their key is not in the ring, or the value is damaged. */
  unreadable: Record<string, number>;
  /** Secrets the relay replaced while the run was between reading and writing them (checked next run). */
  changedMeanwhile: number;
}

export interface RotationReport {
  currentKeyId: string;
  dryRun: boolean;
  columns: ColumnRotation[];
}

export interface RotationOptions {
  dryRun: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Called before each write; tests use it to interrupt a run or to race the relay. */
  beforeWrite?: (column: SealedColumn, row: Record<string, unknown>) => Promise<void>;
}

/**
 * Re-seals every stored secret under the first key of `keys`. Each secret is rewritten on its own,
 * only if it still holds the value that was read (compare-and-set), so the relays keep running on
 * the same ring during the rotation, and a run that stops halfway is finished by running it again:
 * what is done stays done, and every secret opens with one key of the ring at every moment.
 */
export async function rotateSecrets(
  knex: Knex,
  keys: readonly EncryptionKey[],
  options: RotationOptions,
): Promise<RotationReport> {
  const current = keys[0];
  if (!current) {
    throw new ConfigError(
      'ONEPAGEPAY_ENCRYPTION_KEYS is not set: put the new key first and keep the old ones listed, e.g. ' +
        'ONEPAGEPAY_ENCRYPTION_KEYS=k2:$(openssl rand -base64 32),k1:<the old key>.',
    );
  }
  const cipher = new TokenCipher(keys);
  const work = await Promise.all(
    SEALED_COLUMNS.map(async (column) => ({
      column,
      rows: (await knex(column.table)
        .whereNotNull(column.column)
        .orderBy([...column.keys])
        .select([...column.keys, column.column])) as Array<Record<string, unknown>>,
    })),
  );
  const total = work.reduce((sum, { rows }) => sum + rows.length, 0);
  let done = 0;
  const columns: ColumnRotation[] = [];
  for (const { column, rows } of work) {
    const report: ColumnRotation = {
      name: column.name,
      current: 0,
      rotated: 0,
      remaining: {},
      unreadable: {},
      changedMeanwhile: 0,
    };
    for (const row of rows) {
      const outcome = await rotateOne(knex, cipher, current.id, column, row, options);
      const keyId = keyIdOf(row[column.column] as string);
      if (outcome === 'current') report.current += 1;
      else if (outcome === 'rotated') report.rotated += 1;
      else if (outcome === 'changed') report.changedMeanwhile += 1;
      if (outcome === 'pending' || outcome === 'unreadable') bump(report.remaining, keyId);
      if (outcome === 'unreadable') bump(report.unreadable, keyId);
      options.onProgress?.((done += 1), total);
    }
    columns.push(report);
  }
  return { currentKeyId: current.id, dryRun: options.dryRun, columns };
}

type Outcome = 'current' | 'rotated' | 'pending' | 'unreadable' | 'changed';

async function rotateOne(
  knex: Knex,
  cipher: TokenCipher,
  currentKeyId: string,
  column: SealedColumn,
  row: Record<string, unknown>,
  options: RotationOptions,
): Promise<Outcome> {
  const stored = row[column.column] as string;
  const keyId = keyIdOf(stored);
  if (keyId === currentKeyId) return 'current';
  if (keyId === PLAIN_TEXT && !column.sealsPlainText) return 'unreadable';
  let plain: string;
  try {
    plain = keyId === PLAIN_TEXT ? stored : cipher.open(stored, column.context(row));
  } catch {
    return 'unreadable';
  }
  if (options.dryRun) return 'pending';
  await options.beforeWrite?.(column, row);
  const where = Object.fromEntries(column.keys.map((key) => [key, row[key]]));
  const updated = await knex(column.table)
    .where(where)
    .where(column.column, stored)
    .update({ [column.column]: cipher.seal(plain, column.context(row)) });
  return updated === 1 ? 'rotated' : 'changed';
}

function keyIdOf(stored: string): string {
  return stored.startsWith('v1.') ? (TokenCipher.keyIdOf(stored) ?? PLAIN_TEXT) : PLAIN_TEXT;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Whether any secret is left under another key: the old keys must then stay in the ring. */
export function rotationIncomplete(report: RotationReport): boolean {
  return report.columns.some(
    (column) => Object.keys(column.remaining).length > 0 || column.changedMeanwhile > 0,
  );
}
