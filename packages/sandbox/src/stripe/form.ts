import qs from 'qs';
import { invalidParam, invalidRequest, missingParam, type StripeFailure } from './errors.js';
import { parseSimpleForm } from './simple-form.js';

/** Parsed form parameters, with Stripe's bracket syntax (`metadata[tenant_id]=x`) nested. */
export type Params = Record<string, unknown>;

function decodeStrict(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  // qs swallows bad percent-escapes; Stripe rejects the body, so we do too.
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** Parses an `application/x-www-form-urlencoded` body or query string the way Stripe reads it. */
export function parseForm(text: string): Params {
  if (text === '') return {};
  try {
    return (
      parseSimpleForm(text, decodeStrict) ??
      qs.parse(text, { depth: 10, arrayLimit: 1000, parameterLimit: 5000, decoder: decodeStrict })
    );
  } catch {
    throw malformedBody();
  }
}

export function malformedBody(): StripeFailure {
  return invalidRequest(
    'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.',
    { saved: false },
  );
}

/** Stripe refuses parameters it does not know: that catches typos in the caller. */
export function rejectUnknownParams(params: Params, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) {
      throw invalidParam(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
  }
}

export function readString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(`Invalid string: ${JSON.stringify(value)}`, name);
  return value;
}

export function requireString(params: Params, name: string): string {
  const value = readString(params, name);
  if (value === undefined || value === '') throw missingParam(name);
  return value;
}

export function readInteger(params: Params, name: string): number | undefined {
  const value = readString(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw invalidParam(`Invalid integer: ${value}`, name, 'parameter_invalid_integer');
  }
  return Number(value);
}

export function readBoolean(params: Params, name: string): boolean | undefined {
  const value = readString(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidParam(`Invalid boolean: ${value}`, name);
  return value === 'true';
}

export function readObject(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParam(`Invalid object`, name);
  }
  return value as Params;
}

/** A string parameter with the `maxLength` of Stripe's OpenAPI spec for it, refused as Stripe words it. */
export function readLimitedString(params: Params, name: string, maxLength: number): string | undefined {
  const value = readString(params, name);
  if (value !== undefined && value.length > maxLength) {
    throw invalidParam(`Invalid string: ${value}; must be at most ${maxLength} characters`, name);
  }
  return value;
}

/** Stripe's metadata limits (https://docs.stripe.com/metadata): 50 keys, keys 40 and values 500 characters. */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/**
 * Merges `metadata[...]` into existing metadata; an empty value deletes the key, as in Stripe. Keys
 * and values over Stripe's limits are refused with the messages its API sends.
 */
export function mergeMetadata(current: Record<string, string>, params: Params): Record<string, string> {
  if (params.metadata === '') return {};
  const update = readObject(params, 'metadata');
  if (update === undefined) return current;
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (typeof value !== 'string') throw invalidParam('Invalid metadata value', `metadata[${key}]`);
    if (key.length > METADATA_LIMITS.keyLength) {
      throw invalidParam(
        `Metadata keys can have up to ${METADATA_LIMITS.keyLength} characters, but you passed in a key that is ${key.length} characters. Invalid key: ${key}`,
        'metadata',
      );
    }
    if (value.length > METADATA_LIMITS.valueLength) {
      throw invalidParam(
        `Metadata values can have up to ${METADATA_LIMITS.valueLength} characters, but you passed in a value that is ${value.length} characters. Invalid value: ${value}`,
        'metadata',
      );
    }
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > METADATA_LIMITS.keys) {
    throw invalidParam(
      `You can specify up to ${METADATA_LIMITS.keys} keys in metadata, but the object would have ${Object.keys(merged).length}.`,
      'metadata',
    );
  }
  return merged;
}

export function readExpand(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

export function readEnum<T extends string>(
  params: Params,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = readString(params, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParam(`Invalid ${name}: must be one of ${allowed.join(', ')}`, name);
  }
  return value as T;
}
