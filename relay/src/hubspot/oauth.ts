import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { HubSpotConfig } from '../config.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { HubSpotClientFactory } from './client-factory.js';
import type { Clock } from './clock.js';
import { markBroken, saveConnection, storeRefreshedToken, type OpenConnection } from './connection-store.js';
import { classifyFailure, HubSpotFailure } from './hubspot-failure.js';
import type { TokenCipher } from './token-cipher.js';

/** What the relay needs: CRM records, the properties it creates, and secure form submissions. */
export const HUBSPOT_SCOPES = [
  'oauth',
  'forms',
  ...['contacts', 'deals', 'line_items'].flatMap((type) => [
    `crm.objects.${type}.read`,
    `crm.objects.${type}.write`,
    `crm.schemas.${type}.read`,
    `crm.schemas.${type}.write`,
  ]),
];

const STATE_TTL_MS = 30 * 60_000;

export interface OAuthDeps {
  knex: Knex;
  cipher: TokenCipher;
  clientFactory: HubSpotClientFactory;
  hubspot: Pick<HubSpotConfig, 'apiBase' | 'oauth'>;
  clock: Clock;
}

function requireOAuth(hubspot: OAuthDeps['hubspot']) {
  if (!hubspot.oauth) {
    throw new RelayError(
      'invalid_request',
      'HubSpot OAuth is not configured: set HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI.',
    );
  }
  return hubspot.oauth;
}

/** The install link for a tenant's admin; `state` is signed, so the callback knows the tenant. */
export function buildConnectUrl(
  deps: Pick<OAuthDeps, 'cipher' | 'hubspot' | 'clock'>,
  scope: TenantScope,
): URL {
  const oauth = requireOAuth(deps.hubspot);
  const base = deps.hubspot.apiBase
    ? new URL('oauth/authorize', deps.hubspot.apiBase.toString().replace(/\/?$/, '/'))
    : new URL('https://app.hubspot.com/oauth/authorize');
  base.searchParams.set('client_id', oauth.clientId);
  base.searchParams.set('redirect_uri', oauth.redirectUri.toString());
  base.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
  base.searchParams.set('state', signState(deps, scope));
  return base;
}

function stateKey(deps: Pick<OAuthDeps, 'cipher' | 'hubspot'>): Buffer {
  const oauth = requireOAuth(deps.hubspot);
  // The client secret is already a secret shared with nobody but HubSpot; derive a separate key from it.
  return createHash('sha256').update(`onepagepay-oauth-state:${oauth.clientSecret}`).digest();
}

function signState(deps: Pick<OAuthDeps, 'cipher' | 'hubspot' | 'clock'>, scope: TenantScope): string {
  const payload = Buffer.from(
    JSON.stringify({
      t: scope.tenantId,
      l: scope.livemode,
      e: deps.clock.now() + STATE_TTL_MS,
      n: randomBytes(8).toString('base64url'),
    }),
  ).toString('base64url');
  const mac = createHmac('sha256', stateKey(deps)).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export function verifyState(
  deps: Pick<OAuthDeps, 'cipher' | 'hubspot' | 'clock'>,
  state: string,
): TenantScope {
  const [payload = '', mac = ''] = state.split('.');
  const expected = createHmac('sha256', stateKey(deps)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  const invalid = () =>
    new RelayError('invalid_request', 'This HubSpot install link is invalid or expired: make a new one.');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    t: string;
    l: boolean;
    e: number;
  };
  if (parsed.e < deps.clock.now()) throw invalid();
  return { tenantId: parsed.t, livemode: parsed.l };
}

/** The OAuth callback's work: code → tokens → portal id → stored connection. Returns the portal id. */
export async function completeInstall(
  deps: OAuthDeps,
  code: string,
  state: string,
): Promise<{ scope: TenantScope; portalId: number }> {
  const scope = verifyState(deps, state);
  const oauth = requireOAuth(deps.hubspot);
  const anonymous = deps.clientFactory({});
  try {
    const tokens = await anonymous.oauth.tokensApi.create(
      'authorization_code',
      code,
      oauth.redirectUri.toString(),
      oauth.clientId,
      oauth.clientSecret,
    );
    const info = await anonymous.oauth.accessTokensApi.get(tokens.accessToken);
    await saveConnection(deps.knex, deps.cipher, scope, {
      portalId: Number(info.hubId),
      authKind: 'oauth',
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: new Date(deps.clock.now() + tokens.expiresIn * 1000),
      scopes: info.scopes,
    });
    return { scope, portalId: Number(info.hubId) };
  } catch (error) {
    if (error instanceof RelayError) throw error;
    const failure = classifyFailure(error);
    throw new RelayError('invalid_request', `HubSpot refused the install: ${failure.message}`, {
      cause: error,
    });
  }
}

/**
 * Trades the refresh token for a new access token and stores it. A refused refresh (revoked app,
 * private-app token) marks the connection broken, which stops the worker claiming its jobs until
 * the tenant reconnects; a HubSpot outage during the refresh is only transient.
 */
export async function refreshAccessToken(deps: OAuthDeps, connection: OpenConnection): Promise<string> {
  if (connection.authKind !== 'oauth' || !connection.refreshToken || !deps.hubspot.oauth) {
    const reason = 'HubSpot rejected the access token and there is no refresh token: set a new token.';
    await markBroken(deps.knex, connection.scope, reason);
    throw new HubSpotFailure('connection_broken', reason);
  }
  const oauth = deps.hubspot.oauth;
  try {
    const tokens = await deps
      .clientFactory({})
      .oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        oauth.clientId,
        oauth.clientSecret,
        connection.refreshToken,
      );
    const expiresAt = new Date(deps.clock.now() + tokens.expiresIn * 1000);
    await storeRefreshedToken(deps.knex, deps.cipher, connection.scope, tokens.accessToken, expiresAt);
    connection.accessTokenExpiresAt = expiresAt;
    return tokens.accessToken;
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.kind === 'transient' || failure.kind === 'rate_limited') throw failure;
    const reason = `HubSpot refused the token refresh (${failure.message}): reconnect the portal.`;
    await markBroken(deps.knex, connection.scope, reason);
    throw new HubSpotFailure('connection_broken', reason, { cause: error });
  }
}

/** Stores a private-app token (`hubspot set-token`) for the portal it belongs to. */
export async function connectPrivateApp(
  deps: Pick<OAuthDeps, 'knex' | 'cipher' | 'clientFactory'>,
  scope: TenantScope,
  accessToken: string,
  portalId: number,
): Promise<void> {
  await saveConnection(deps.knex, deps.cipher, scope, { portalId, authKind: 'private_app', accessToken });
}
