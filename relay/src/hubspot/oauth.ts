import type { Knex } from 'knex';
import type { HubSpotConfig } from '../config.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { HubSpotClientFactory } from './client-factory.js';
import type { Clock } from './clock.js';
import {
  markBroken,
  markDisconnected,
  saveConnection,
  storeRefreshedToken,
  type OpenConnection,
} from './connection-store.js';
import { classifyFailure, HubSpotFailure } from './hubspot-failure.js';
import { introspectToken, requestTokens } from './oauth-endpoints.js';
import { requireOAuth, signTicket, STATE_TTL_MS, verifyState } from './oauth-state.js';
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

export interface OAuthDeps {
  knex: Knex;
  cipher: TokenCipher;
  clientFactory: HubSpotClientFactory;
  hubspot: Pick<HubSpotConfig, 'apiBase' | 'oauth'>;
  clock: Clock;
}

/**
 * The install link for a tenant's admin: the relay's own `/v1/hubspot/oauth/start` next to the
 * callback, with a signed ticket. Opening it binds the install to that browser (oauth-state.ts).
 */
export function buildConnectUrl(deps: Pick<OAuthDeps, 'hubspot' | 'clock'>, scope: TenantScope): URL {
  const oauth = requireOAuth(deps.hubspot);
  const start = new URL('start', oauth.redirectUri);
  start.search = '';
  start.searchParams.set('ticket', signTicket(deps, scope));
  return start;
}

/** HubSpot's consent page for one browser's install: `state` carries the hash of its cookie nonce. */
export function buildAuthorizeUrl(deps: Pick<OAuthDeps, 'hubspot'>, state: string): URL {
  const oauth = requireOAuth(deps.hubspot);
  const base = deps.hubspot.apiBase
    ? new URL('oauth/authorize', deps.hubspot.apiBase.toString().replace(/\/?$/, '/'))
    : new URL('https://app.hubspot.com/oauth/authorize');
  base.searchParams.set('client_id', oauth.clientId);
  base.searchParams.set('redirect_uri', oauth.redirectUri.toString());
  base.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
  base.searchParams.set('state', state);
  return base;
}

/**
 * Spends a state once: a second callback with the same state (a replayed URL, a double click) is
 * refused. Stored per tenant under row-level security; expired entries are swept on the way.
 */
async function consumeState(deps: Pick<OAuthDeps, 'knex' | 'clock'>, scope: TenantScope, nonceHash: string) {
  const now = new Date(deps.clock.now());
  const spent = await inTenantTransaction(deps.knex, scope, async (trx) => {
    await trx('hubspot_oauth_states')
      .where({ tenant_id: scope.tenantId })
      .where('expires_at', '<', now)
      .delete();
    return trx('hubspot_oauth_states')
      .insert({
        tenant_id: scope.tenantId,
        livemode: scope.livemode,
        nonce_hash: nonceHash,
        expires_at: new Date(now.getTime() + STATE_TTL_MS),
      })
      .onConflict(['tenant_id', 'nonce_hash'])
      .ignore()
      .returning('nonce_hash');
  });
  if (spent.length === 0) {
    throw new RelayError(
      'invalid_request',
      'This HubSpot install link was already used: open the link again.',
    );
  }
}

/** The OAuth callback's work: code → tokens → portal id → stored connection. Returns the portal id. */
export async function completeInstall(
  deps: OAuthDeps,
  code: string,
  state: string,
  cookieNonce: string | undefined,
): Promise<{ scope: TenantScope; portalId: number }> {
  const { scope, nonceHash } = verifyState(deps, state, cookieNonce);
  await consumeState(deps, scope, nonceHash);
  const oauth = requireOAuth(deps.hubspot);
  try {
    const tokens = await requestTokens(deps, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: oauth.redirectUri.toString(),
    });
    const info = await introspectToken(deps, tokens.accessToken);
    if (!info.active || info.token_use !== 'access_token' || typeof info.hub_id !== 'number') {
      throw new RelayError(
        'invalid_request',
        'HubSpot says the new access token is not active: install again.',
      );
    }
    await saveConnection(deps.knex, deps.cipher, scope, {
      portalId: info.hub_id,
      authKind: 'oauth',
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: new Date(deps.clock.now() + tokens.expiresIn * 1000),
      scopes: info.scopes ?? [],
    });
    return { scope, portalId: info.hub_id };
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
  try {
    const tokens = await requestTokens(deps, {
      grant_type: 'refresh_token',
      refresh_token: connection.refreshToken,
    });
    const expiresAt = new Date(deps.clock.now() + tokens.expiresIn * 1000);
    await storeRefreshedToken(deps.knex, deps.cipher, connection.scope, tokens.accessToken, expiresAt);
    connection.accessTokenExpiresAt = expiresAt;
    return tokens.accessToken;
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.kind === 'transient' || failure.kind === 'rate_limited') throw failure;
    if (await wasUninstalled(deps, connection.refreshToken)) {
      const reason =
        `The OnePagePay app was uninstalled from HubSpot portal ${connection.portalId}: its tokens are no ` +
        'longer active. Payments keep working; CRM pushes wait until the app is installed again (hubspot connect-url).';
      await markDisconnected(deps.knex, connection.scope, reason);
      throw new HubSpotFailure('connection_broken', reason, { cause: error });
    }
    const reason = `HubSpot refused the token refresh (${failure.message}): reconnect the portal.`;
    await markBroken(deps.knex, connection.scope, reason);
    throw new HubSpotFailure('connection_broken', reason, { cause: error });
  }
}

/** A refused refresh token that introspection calls inactive: the app was uninstalled from the portal. */
async function wasUninstalled(deps: OAuthDeps, refreshToken: string): Promise<boolean> {
  try {
    return !(await introspectToken(deps, refreshToken)).active;
  } catch {
    return false;
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
