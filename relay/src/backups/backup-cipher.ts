import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { finished, pipeline } from 'node:stream/promises';
import type { EncryptionKey } from '../config.js';
import { ConfigError } from '../errors.js';

/**
 * Encrypted backups: `OPPBAK1\n`, the key id (one length byte, then its bytes), a 12-byte IV, the
 * AES-256-GCM ciphertext, and the 16-byte tag last, so a dump streams through without being held
 * in memory. The key id in the header lets a restore pick the right key after a rotation.
 */
const MAGIC = Buffer.from('OPPBAK1\n');
const TAG_BYTES = 16;

export async function isEncryptedBackup(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && head.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

/** The id of the key an encrypted backup was made with (from its header). */
export async function backupKeyId(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 1 + 255);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const idLength = head[MAGIC.length] ?? 0;
    if (bytesRead < MAGIC.length + 1 + idLength || !head.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new ConfigError(`${file} is not an encrypted OnePagePay backup.`);
    }
    return head.subarray(MAGIC.length + 1, MAGIC.length + 1 + idLength).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function encryptBackup(
  plainFile: string,
  sealedFile: string,
  key: EncryptionKey,
): Promise<void> {
  const iv = randomBytes(12);
  const id = Buffer.from(key.id, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const out = createWriteStream(sealedFile, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv]));
  await pipeline(createReadStream(plainFile), cipher, out, { end: false });
  out.end(cipher.getAuthTag());
  await finished(out);
}

export async function decryptBackup(
  sealedFile: string,
  plainFile: string,
  keys: readonly EncryptionKey[],
): Promise<void> {
  const handle = await fs.open(sealedFile, 'r');
  let keyId: string;
  let iv: Buffer;
  let tag: Buffer;
  let bodyStart: number;
  let bodyEnd: number;
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(MAGIC.length + 1 + 255 + 12);
    await handle.read(head, 0, head.length, 0);
    const idLength = head[MAGIC.length] ?? 0;
    keyId = head.subarray(MAGIC.length + 1, MAGIC.length + 1 + idLength).toString('utf8');
    iv = head.subarray(MAGIC.length + 1 + idLength, MAGIC.length + 1 + idLength + 12);
    bodyStart = MAGIC.length + 1 + idLength + 12;
    bodyEnd = size - TAG_BYTES;
    if (bodyEnd < bodyStart) throw new ConfigError(`${sealedFile} is cut short: it is not a whole backup.`);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(tag, 0, TAG_BYTES, bodyEnd);
  } finally {
    await handle.close();
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) {
    throw new ConfigError(
      `${sealedFile} was encrypted with key "${keyId}", which ONEPAGEPAY_ENCRYPTION_KEYS does not list. ` +
        'Add that key (old keys stay readable after a rotation) and restore again.',
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
  decipher.setAuthTag(tag);
  const body =
    bodyEnd > bodyStart
      ? createReadStream(sealedFile, { start: bodyStart, end: bodyEnd - 1 })
      : emptyStream();
  try {
    await pipeline(body, decipher, createWriteStream(plainFile, { mode: 0o600 }));
  } catch (error) {
    await fs.rm(plainFile, { force: true });
    throw new ConfigError(
      `${sealedFile} does not decrypt with key "${keyId}": the file was altered or cut short.`,
      { cause: error },
    );
  }
}

async function* emptyStream(): AsyncGenerator<Buffer> {}
