import fs from 'node:fs/promises';
import os from 'node:os';
import lockfile from 'proper-lockfile';

/**
 * One relay process per PGlite data directory (PGlite has no lock of its own, and two processes on
 * one directory silently lose writes).
 *
 * proper-lockfile's own staleness is a lock directory's mtime, refreshed by a timer in the holder.
 * A holder whose event loop stalls past the threshold (PGlite runs migrations and queries in WASM on
 * the main thread; a loaded machine delays timers by seconds) looked dead: a second process took the
 * directory while the first still wrote to it, and proper-lockfile then crashed the first with
 * "lock compromised". So the holder writes who it is beside the lock, the mtime threshold is a week,
 * and a lock is taken over only when its holder is a process on this host that no longer exists.
 */
const LOCK_OPTIONS = { stale: 7 * 24 * 3600_000, realpath: false } as const;

/** How old a lock with no owner file must be before it is taken over: a holder writes its owner file
 *  right after taking the lock, so only a crash in between, or a relay older than this file, leaves
 *  none. Older relays refreshed their lock every 5 s. */
const OWNERLESS_GRACE_MS = 30_000;

interface LockOwner {
  pid: number;
  host: string;
}

export function dataDirLockPath(dataDir: string): string {
  return `${dataDir}.lock`;
}

function ownerPath(dataDir: string): string {
  return `${dataDir}.lock-owner.json`;
}

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`${dataDir} is locked by a running process (${dataDirLockPath(dataDir)})`);
  }
}

/** Takes the directory for this process, or throws DataDirInUseError. Resolves to the release. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await take(dataDir);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const owner = await readOwner(dataDir);
    if (await holderIsAlive(dataDir, owner)) throw new DataDirInUseError(dataDir);
    // Read again just before taking over: another process that found the same dead holder may have
    // taken the lock in between, and its owner file is then this process's answer.
    if (JSON.stringify(await readOwner(dataDir)) !== JSON.stringify(owner))
      throw new DataDirInUseError(dataDir);
    await fs.rm(dataDirLockPath(dataDir), { recursive: true, force: true });
    try {
      return await take(dataDir);
    } catch (retryError) {
      if ((retryError as { code?: string }).code === 'ELOCKED') throw new DataDirInUseError(dataDir);
      throw retryError;
    }
  }
}

/** Whether a live process holds the directory (for commands that must not run beside a relay). */
export async function dataDirInUse(dataDir: string): Promise<boolean> {
  const locked = await fs.stat(dataDirLockPath(dataDir)).then(
    () => true,
    () => false,
  );
  return locked && holderIsAlive(dataDir, await readOwner(dataDir));
}

async function take(dataDir: string): Promise<() => Promise<void>> {
  const unlock = await lockfile.lock(dataDir, LOCK_OPTIONS);
  const owner: LockOwner = { pid: process.pid, host: os.hostname() };
  try {
    await fs.writeFile(ownerPath(dataDir), JSON.stringify(owner));
  } catch (error) {
    await unlock();
    throw error;
  }
  return async () => {
    await fs.rm(ownerPath(dataDir), { force: true });
    await unlock();
  };
}

async function readOwner(dataDir: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(ownerPath(dataDir), 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : undefined;
  } catch {
    return undefined;
  }
}

async function holderIsAlive(dataDir: string, owner: LockOwner | undefined): Promise<boolean> {
  if (!owner) {
    const stat = await fs.stat(dataDirLockPath(dataDir)).catch(() => undefined);
    return stat !== undefined && Date.now() - stat.mtimeMs < OWNERLESS_GRACE_MS;
  }
  // A holder on another host (a shared volume) cannot be checked from here: assume it runs.
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
