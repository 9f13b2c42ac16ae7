import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { loadOrCreateDevEncryptionKeys } from './dev-encryption-key.js';

describe('the demo’s development encryption key', () => {
  it('is made once beside the data directory, owner-only, reused on the next start, and valid config', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-devkey-'));
    try {
      const dataDir = path.join(root, 'pglite');
      const first = await loadOrCreateDevEncryptionKeys(dataDir);
      const again = await loadOrCreateDevEncryptionKeys(dataDir);
      assert.equal(again, first);
      const stat = await fs.stat(path.join(root, 'dev-encryption-key'));
      assert.equal(stat.mode & 0o777, 0o600);
      const config = loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: first });
      assert.equal(config.encryptionKeys[0]?.key.length, 32);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
