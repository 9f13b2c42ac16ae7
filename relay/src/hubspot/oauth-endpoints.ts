import type { HubSpotConfig } from '../config.js';
import type { HubSpotClientFactory } from './client-factory.js';
import { requireOAuth } from './oauth-state.js';

/**
 * HubSpot's date-versioned OAuth API. The v1 endpoints that `@hubspot/api-client` still calls
 * (`oauth.tokensApi`, `accessTokensApi`) are sunset on 2027-02-16 (HubSpot's "Migrate from the OAuth
 * v1 API" guide), so the relay sends these requests itself through the client's `apiRequest`: the
 * client id, secret and tokens go in a form body, never in a URL that a proxy could log.
 */
const OAUTH_VERSION = '2026-03';

type OAuthEndpointDeps = { clientFactory: HubSpotClientFactory; hubspot: Pick<HubSpotConfig, 'oauth'> };

/** What POST /oauth/2026-03/token/introspect answers (the fields the relay reads). */
export interface TokenIntrospection {
  active: boolean;
  token_use?: 'access_token' | 'refresh_token';
  hub_id?: number;
  user_id?: number;
  app_id?: number;
  scopes?: string[];
  expires_in?: number;
}

/** What POST /oauth/2026-03/token answers. HubSpot keeps the refresh token on a refresh. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type TokenGrant =
  | { grant_type: 'authorization_code'; code: string; redirect_uri: string }
  | { grant_type: 'refresh_token'; refresh_token: string };

/** Exchanges an install's code, or a refresh token, for an access token. */
export async function requestTokens(deps: OAuthEndpointDeps, grant: TokenGrant): Promise<IssuedTokens> {
  const body = (await postForm(deps, 'token', grant)) as {
    access_token?: unknown;
    refresh_token?: unknown;
    expires_in?: unknown;
  };
  const refreshToken =
    typeof body.refresh_token === 'string'
      ? body.refresh_token
      : grant.grant_type === 'refresh_token'
        ? grant.refresh_token
        : undefined;
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number' || !refreshToken) {
    throw new Error('HubSpot answered the token request without its tokens');
  }
  return { accessToken: body.access_token, refreshToken, expiresIn: body.expires_in };
}

/** A token's metadata (`active: false` once revoked, expired or its app uninstalled). */
export async function introspectToken(deps: OAuthEndpointDeps, token: string): Promise<TokenIntrospection> {
  return (await postForm(deps, 'token/introspect', { token })) as TokenIntrospection;
}

/**
 * One form-encoded POST with the app's credentials. A refusal is thrown in the generated client's
 * error shape (`code`, `body`), so `classifyFailure` reads it as it reads every other HubSpot error.
 */
async function postForm(
  deps: OAuthEndpointDeps,
  endpoint: string,
  fields: Record<string, string>,
): Promise<unknown> {
  const oauth = requireOAuth(deps.hubspot);
  const response = await deps.clientFactory({}).apiRequest({
    method: 'POST',
    path: `/oauth/${OAUTH_VERSION}/${endpoint}`,
    defaultJson: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
      ...fields,
    }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw { code: response.status, body: text, headers: {} };
  return JSON.parse(text) as unknown;
}
