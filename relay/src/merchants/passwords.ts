import { createRequire } from 'node:module';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { RelayError } from '../errors.js';

/** argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): about 30 ms per hash here. */
// Algorithm.Argon2id is an ambient const enum, which verbatimModuleSyntax cannot read: its value is 2.
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of one verification, so an unknown email answers as slowly as a wrong password. */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('onepagepay-no-such-user-placeholder');
  await verifyPassword(await dummyHash, password);
}

let commonPasswords: Set<string> | undefined;

/**
 * The 49,000 most common passwords of breach corpora, as shipped by @zxcvbn-ts/language-common
 * (the list zxcvbn itself matches against), loaded once on first use.
 */
function loadCommonPasswords(): Set<string> {
  if (commonPasswords) return commonPasswords;
  const require = createRequire(import.meta.url);
  const { dictionary } = require('@zxcvbn-ts/language-common') as {
    dictionary: { 'passwords-common': string[] };
  };
  commonPasswords = new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return commonPasswords;
}

/**
 * ASVS 5.0 V6.2: 12 to 128 characters, any characters, no composition rules, refused if it is a
 * known common or breached password, or one of those padded out to length (password123456,
 * qwertyqwerty), or contains the account's email name.
 */
export function checkPasswordPolicy(
  password: string,
  context: { email?: string; businessName?: string } = {},
) {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw rejected(`Use a password of ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const list = loadCommonPasswords();
  const lowered = password.toLowerCase();
  const core = lowered.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  const repeated = /^(.{1,64}?)\1+$/.exec(lowered)?.[1];
  if (
    list.has(lowered) ||
    (core.length >= 4 && list.has(core) && core.length >= lowered.length / 2) ||
    (repeated !== undefined && (list.has(repeated) || repeated.length <= 6)) ||
    new Set(lowered).size < 4
  ) {
    throw rejected('This password is too common or appears in breached-password lists. Choose another.');
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lowered.includes(local)) {
    throw rejected('The password must not contain your email address. Choose another.');
  }
  const business = context.businessName?.toLowerCase().replace(/\s+/g, '');
  if (business && business.length >= 4 && lowered.replace(/\s+/g, '').includes(business)) {
    throw rejected('The password must not contain your business name. Choose another.');
  }
}

function rejected(message: string): RelayError {
  return new RelayError('password_rejected', message);
}
