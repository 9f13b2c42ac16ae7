import type { MerchantUser } from './users.js';

export interface SecretCipher {
  readonly configured: boolean;
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** What a sealed TOTP secret is bound to (also read by `rotate-key`, which re-seals it). */
export const totpContext = (user: Pick<MerchantUser, 'tenant_id' | 'id'>) =>
  `totp:${user.tenant_id}:${user.id}`;

/** TOTP secrets are sealed (AES-256-GCM, bound to the user); enrolment refuses without a key. */
export function sealTotpSecret(deps: { cipher?: SecretCipher }, user: MerchantUser, secret: string): string {
  if (!deps.cipher?.configured) throw new Error('sealTotpSecret needs a configured cipher');
  return deps.cipher.seal(secret, totpContext(user));
}

/** Secrets stored in plain text by releases that allowed it still open, so no one is locked out. */

export function openTotpSecret(deps: { cipher?: SecretCipher }, user: MerchantUser, stored: string): string {
  return stored.startsWith('v1.') && deps.cipher ? deps.cipher.open(stored, totpContext(user)) : stored;
}
