import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { sha256Hex } from './secrets.js';

/** A new 160-bit TOTP secret in base32, as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export async function describeEnrolment(secret: string, issuer: string, label: string) {
  const otpauthUri = generateURI({ issuer, label, secret });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 1 });
  return { secret, otpauthUri, qrCodeDataUrl };
}

/**
 * Checks a code with one period of clock drift either way, refusing any time step at or before the
 * last one accepted, so a code cannot be used twice (nor an older one after a newer one). Returns
 * the accepted time step to store, or null.
 */
export async function acceptTotp(
  secret: string,
  code: string,
  lastStep: number | null,
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Ten codes of 100 random bits each (XXXX-XXXX-XXXX-XXXX-XXXX), shown once. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(20);
    const chars = [...bytes].map((byte) => BASE32[byte & 31]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** High-entropy codes need no slow hash; the normal form ignores case and dashes. */
export function hashRecoveryCode(code: string): string {
  return sha256Hex(code.replaceAll('-', '').toUpperCase());
}
