import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config.js';
import { RelayError } from '../errors.js';

/**
 * Seals secrets (HubSpot tokens) for the database with AES-256-GCM. The sealed form names the key
 * it was made with (`v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url), so keys can rotate: new
 * secrets use the first key of the ring, old ones still open with theirs. `context` (tenant, mode,
 * purpose) is bound as associated data, so a sealed token copied to another row does not open.
 */
export class TokenCipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly EncryptionKey[]) {
    this.byId = new Map(keys.map((key) => [key.id, key.key]));
  }

  get configured(): boolean {
    return this.keys.length > 0;
  }

  seal(plain: string, context: string): string {
    const current = this.keys[0];
    if (!current) throw missingKeys();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', current.id, iv, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !keyId || !iv || !tag || data === undefined) {
      throw new RelayError('internal_error', 'A stored secret is not in the sealed format.');
    }
    const key = this.byId.get(keyId);
    if (!key) {
      throw new RelayError(
        'internal_error',
        `A stored secret was sealed with key "${keyId}", which ONEPAGEPAY_ENCRYPTION_KEYS no longer lists.`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** The key id a sealed secret was made with (for key rotation reports). */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }

  get currentKeyId(): string | undefined {
    return this.keys[0]?.id;
  }
}

function missingKeys(): RelayError {
  return new RelayError(
    'internal_error',
    'ONEPAGEPAY_ENCRYPTION_KEYS is not set: HubSpot tokens are encrypted at rest and need a key ' +
      '(e.g. ONEPAGEPAY_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)).',
  );
}
