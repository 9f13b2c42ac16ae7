import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The `npm start` demo runs with no configuration, yet 2FA enrolment refuses to store a TOTP secret
 * without ONEPAGEPAY_ENCRYPTION_KEYS. So the demo makes one key, keeps it beside its data (readable
 * by the owner only) and reuses it on every start, so secrets sealed yesterday still open. It is a
 * development key: anyone with the data directory has it. Production sets the variable.
 */
export async function loadOrCreateDevEncryptionKeys(dataDir: string): Promise<string> {
  const file = path.join(path.dirname(dataDir), 'dev-encryption-key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = `dev:${randomBytes(32).toString('base64')}`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${keys}\n`, { mode: 0o600, flag: 'wx' });
  return keys;
}
