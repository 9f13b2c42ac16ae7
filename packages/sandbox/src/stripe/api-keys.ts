import { invalidRequest, type StripeFailure } from './errors.js';
import type { Params } from './form.js';

export interface ApiKey {
  value: string;
  kind: 'secret' | 'publishable';
  livemode: boolean;
}

const KEY_PATTERN = /^(sk|rk|pk)_(test|live)_[A-Za-z0-9]+$/;

/** Masks a key as Stripe does in error messages: prefix, stars, last four characters. */
export function maskKey(key: string): string {
  const prefix = /^[a-z]+_[a-z]+_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return `${prefix}${'*'.repeat(Math.max(rest.length - 4, 0))}${rest.slice(-4)}`;
}

function noKey(): StripeFailure {
  return invalidRequest(
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    { status: 401, saved: false },
  );
}

function rawKey(authorization: string | undefined, params: Params): string | undefined {
  if (authorization !== undefined) {
    const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) return credentials;
    if (/^basic$/i.test(scheme)) return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
    return '';
  }
  // Stripe.js sends its publishable key as the `key` form parameter.
  return typeof params.key === 'string' ? params.key : undefined;
}

/** Reads the caller's API key from `Authorization` (Bearer or Basic) or Stripe.js's `key` param. */
export function authenticate(authorization: string | undefined, params: Params): ApiKey {
  const value = rawKey(authorization, params);
  if (value === undefined || value === '') throw noKey();
  const match = KEY_PATTERN.exec(value);
  if (!match) {
    throw invalidRequest(`Invalid API Key provided: ${maskKey(value)}`, { status: 401, saved: false });
  }
  return { value, kind: match[1] === 'pk' ? 'publishable' : 'secret', livemode: match[2] === 'live' };
}

export function publishableKeyRefused(): StripeFailure {
  return invalidRequest(
    'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
    { status: 401, saved: false },
  );
}

export function accountRefused(key: ApiKey, account: string): StripeFailure {
  return invalidRequest(
    `The provided key '${maskKey(key.value)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
    { status: 403, code: 'account_invalid', saved: false },
  );
}
