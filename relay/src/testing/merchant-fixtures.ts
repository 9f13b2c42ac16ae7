import type { Knex } from 'knex';
import { generate } from 'otplib';
import { createForm } from '../tenants/create-form.js';
import type { MailCapture } from './mail-capture.js';

/** A JSON answer as tests read it: loosely typed on purpose, since tests probe every shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseBody = any;

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: LooseBody;
}

/** A strong password that passes the policy. */
export const GOOD_PASSWORD = 'violet-orbit-harbor-42';

export interface MerchantClient {
  baseUrl: string;
  cookie: string;
  csrfToken: string;
  tenantId: string;
  get(path: string): Promise<{ status: number; headers: Headers; body: LooseBody }>;
  post(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: LooseBody }>;
}

/** The session token from a Set-Cookie header, as a browser would keep it. */
export function sessionCookieFrom(headers: Headers): string | undefined {
  const raw = headers.get('set-cookie') ?? '';
  const match = /opp_session=([^;]*)/.exec(raw);
  return match?.[1] ? `opp_session=${match[1]}` : undefined;
}

export async function sendJson(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV or empty
  }
  return { status: response.status, headers: response.headers, body: body as LooseBody };
}

/** A client holding a session cookie and CSRF token, sending the relay's own Origin. */
export function merchantClient(
  baseUrl: string,
  session: { cookie: string; csrfToken: string; tenantId: string },
): MerchantClient {
  const client: MerchantClient = {
    baseUrl,
    ...session,
    get: (path) => sendJson(baseUrl, 'GET', path, { headers: { cookie: client.cookie } }),
    post: async (path, body, headers = {}) => {
      const response = await sendJson(baseUrl, 'POST', path, {
        body: body ?? {},
        headers: { cookie: client.cookie, origin: baseUrl, 'x-csrf-token': client.csrfToken, ...headers },
      });
      const rotated = sessionCookieFrom(response.headers);
      if (rotated) client.cookie = rotated;
      if (typeof response.body?.csrfToken === 'string') client.csrfToken = response.body.csrfToken;
      return response;
    },
  };
  return client;
}

/**
 * Signs up as a merchant does: asks for an account, takes the token from the mail the relay sent
 * (captured by the test relay's mailbox) and verifies it, which signs in.
 */
export async function signUpMerchant(
  relay: { url: string; mailbox: MailCapture },
  email: string,
  password = GOOD_PASSWORD,
  businessName = 'Acme Workshops',
) {
  const requested = await sendJson(relay.url, 'POST', '/v1/merchant/signup', {
    body: { email, password, businessName },
    headers: { origin: relay.url },
  });
  if (requested.status !== 202)
    throw new Error(`signup failed: ${requested.status} ${JSON.stringify(requested.body)}`);
  const token = relay.mailbox.signupTokenFor(email);
  if (!token) throw new Error(`no verification mail reached ${email}`);
  const response = await verifySignupToken(relay.url, token);
  if (response.status !== 201)
    throw new Error(`signup verification failed: ${response.status} ${JSON.stringify(response.body)}`);
  const cookie = sessionCookieFrom(response.headers)!;
  return merchantClient(relay.url, {
    cookie,
    csrfToken: response.body.csrfToken,
    tenantId: response.body.tenantId,
  });
}

export function verifySignupToken(baseUrl: string, token: string): Promise<JsonAnswer> {
  return sendJson(baseUrl, 'POST', '/v1/merchant/signup/verify', {
    body: { token },
    headers: { origin: baseUrl },
  });
}

export async function logInMerchant(
  baseUrl: string,
  body: Record<string, unknown>,
): Promise<{ response: JsonAnswer; client: MerchantClient | undefined }> {
  const response = await sendJson(baseUrl, 'POST', '/v1/merchant/login', {
    body,
    headers: { origin: baseUrl },
  });
  const cookie = sessionCookieFrom(response.headers);
  return {
    response,
    client: cookie
      ? merchantClient(baseUrl, {
          cookie,
          csrfToken: response.body.csrfToken,
          tenantId: response.body.tenantId,
        })
      : undefined,
  };
}

/** Enrols TOTP through the API and returns the secret and recovery codes. */
export async function enrolTotp(client: MerchantClient, password = GOOD_PASSWORD) {
  await client.post('/v1/merchant/reauthenticate', { password });
  const setup = await client.post('/v1/merchant/two-factor/setup');
  if (setup.status !== 200) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
  const secret = setup.body.secret as string;
  const confirmed = await client.post('/v1/merchant/two-factor/confirm', {
    code: await generate({ secret }),
  });
  if (confirmed.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirmed.body)}`);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** Creates an API key in the session's mode, re-authenticating first as the relay requires. */
export async function createApiKeyFor(
  client: MerchantClient,
  scopes: string[],
  password = GOOD_PASSWORD,
  totpSecret?: string,
) {
  const reauth = await client.post('/v1/merchant/reauthenticate', {
    password,
    ...(totpSecret
      ? { totpCode: await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 }) }
      : {}),
  });
  if (reauth.status !== 200) throw new Error(`reauth failed: ${JSON.stringify(reauth.body)}`);
  const created = await client.post('/v1/merchant/api-keys', { name: 'test key', scopes });
  if (created.status !== 201) throw new Error(`key failed: ${JSON.stringify(created.body)}`);
  return created.body as { id: string; secret: string };
}

/**
 * Rows straight into the database (owner connection) for listing tests: `count` transactions of one
 * form and contact, one second apart, newest last.
 */
export async function seedTransactions(
  knex: Knex,
  tenantId: string,
  options: { livemode?: boolean; count?: number; email?: string; status?: string; product?: string } = {},
) {
  const livemode = options.livemode ?? false;
  const form = await createForm(knex, {
    tenantId,
    hubspotFormGuid: crypto.randomUUID(),
    productName: options.product ?? 'Workshop ticket',
    currency: 'USD',
    amount: 4900,
    livemode,
  });
  const [contact] = await knex('contacts')
    .insert({
      tenant_id: tenantId,
      livemode,
      email: options.email ?? `payer-${crypto.randomUUID().slice(0, 8)}@example.com`,
      first_name: 'Ada',
      last_name: 'Lovelace',
    })
    .returning('*');
  const count = options.count ?? 3;
  const rows = Array.from({ length: count }, (_, index) => ({
    tenant_id: tenantId,
    livemode,
    form_id: form.id,
    contact_id: contact.id,
    attempt_id: `att_${crypto.randomUUID().replaceAll('-', '')}`,
    request_fingerprint: 'seeded',
    amount: 4900,
    currency: 'USD',
    product_name: options.product ?? 'Workshop ticket',
    provider: 'stripe',
    provider_payment_id: `pi_seed_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
    status: options.status ?? 'succeeded',
    created_at: new Date(Date.now() - (count - index) * 1000).toISOString(),
  }));
  const inserted: Array<{ id: string }> = [];
  for (let start = 0; start < rows.length; start += 500) {
    inserted.push(
      ...((await knex('transactions')
        .insert(rows.slice(start, start + 500))
        .returning(['id'])) as Array<{ id: string }>),
    );
  }
  return { form, contact, transactionIds: inserted.map((row) => row.id) };
}
