import type { Knex } from 'knex';
import { Tenant } from '../db/models/tenant.js';
import { RelayError } from '../errors.js';

/** An allowed origin is scheme + host (+ port), exactly as browsers send it in the Origin header. */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RelayError('invalid_request', `"${value}" is not an origin such as https://www.example.com.`);
  }
  if (!['https:', 'http:'].includes(url.protocol) || url.username || url.password) {
    throw new RelayError(
      'invalid_request',
      `"${value}" must be an http(s) origin such as https://www.example.com.`,
    );
  }
  // A browser's Origin header never has a path, query or fragment: an entry with one is a pasted
  // page URL, and silently cutting it down would hide that mistake.
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new RelayError(
      'invalid_request',
      `"${value}" must be an origin (scheme, host and port) with no path, such as https://www.example.com.`,
    );
  }
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new RelayError(
      'invalid_request',
      `"${value}" must use https (plain http is allowed for localhost only).`,
    );
  }
  return url.origin;
}

function checkTenantName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 200)
    throw new RelayError('invalid_request', 'A tenant needs a name of 1-200 characters.');
  return name;
}

/**
 * Signup's tenant, made by the app role, which may not write `tenants` itself: the definer function
 * takes only a name, so a new tenant starts with no origins and no Stripe account (migration 010).
 */
export async function createSignupTenant(trx: Knex.Transaction, name: string): Promise<string> {
  const result = (await trx.raw('select onepagepay_create_tenant(?) as id', [checkTenantName(name)])) as {
    rows: Array<{ id: string }>;
  };
  return (result.rows[0] as { id: string }).id;
}

/** A Stripe connected account id as Stripe writes it (`acct_` and letters or digits, 255 at most). */
export function checkStripeAccountId(value: string): string {
  if (!/^acct_[A-Za-z0-9]{1,250}$/.test(value)) {
    throw new RelayError('invalid_request', 'The Stripe account id must look like acct_...');
  }
  return value;
}

/** A tenant with its origins and Stripe account: operators only (the CLI's owner connection). */
export async function createTenant(
  knex: Knex,
  input: {
    name: string;
    origins: string[];
    stripeAccountId?: string | null;
    paypalMerchantId?: string | null;
  },
): Promise<Tenant> {
  const name = checkTenantName(input.name);
  if (input.stripeAccountId) checkStripeAccountId(input.stripeAccountId);
  if (input.paypalMerchantId && !/^[2-9A-HJ-NP-Z]{13}$/.test(input.paypalMerchantId)) {
    throw new RelayError(
      'invalid_request',
      'The PayPal merchant id must be the 13-character id PayPal shows.',
    );
  }
  return Tenant.query(knex).insertAndFetch({
    name,
    allowedOrigins: [...new Set(input.origins.map(normalizeOrigin))],
    stripeAccountId: input.stripeAccountId ?? null,
    paypalMerchantId: input.paypalMerchantId ?? null,
  });
}
