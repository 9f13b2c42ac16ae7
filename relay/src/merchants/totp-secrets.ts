import type { MerchantUser } from './users.js';

export interface SecretCipher {
  readonly configured: boolean;
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const totpContext = (user: MerchantUser) => `totp:${user.tenant_id}:${user.id}`;

/** TOTP secrets are sealed (AES-256-GCM, bound to the user) when keys are configured. */
export function sealTotpSecret(deps: { cipher?: SecretCipher }, user: MerchantUser, secret: string): string {
  return deps.cipher?.configured ? deps.cipher.seal(secret, totpContext(user)) : secret;
}

export function openTotpSecret(deps: { cipher?: SecretCipher }, user: MerchantUser, stored: string): string {
  return stored.startsWith('v1.') && deps.cipher ? deps.cipher.open(stored, totpContext(user)) : stored;
}
