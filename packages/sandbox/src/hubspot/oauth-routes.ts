import { randomBytes, randomUUID } from 'node:crypto';
import { ALL_SCOPES } from './auth.js';
import type { PublicRouteContext, Route, SandboxCore } from './core.js';
import { createCorrelationId, HubSpotHttpError, type HubSpotReply } from './http-kit.js';
import { introspectToken } from './oauth-introspect.js';

/** HubSpot OAuth access tokens live 30 minutes. */
export const ACCESS_TOKEN_TTL_SECONDS = 1800;
/** How long a minted authorization code stays exchangeable. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;

/**
 * RFC 6749's `error` for each of HubSpot's OAuth statuses. HubSpot's OAuth errors carry both since
 * the v3 release ("Standardized OAuth Error Responses", developers.hubspot.com/changelog): `error`
 * and `error_description` for OAuth libraries, `status` and `message` kept for older clients, on
 * the v1, v3 and 2026-03 endpoints alike.
 */
const RFC6749_ERRORS: Record<string, string> = {
  BAD_CLIENT_ID: 'invalid_client',
  BAD_CLIENT_SECRET: 'invalid_client',
  BAD_AUTH_CODE: 'invalid_grant',
  EXPIRED_AUTH_CODE: 'invalid_grant',
  BAD_REDIRECT_URI: 'invalid_grant',
  BAD_REFRESH_TOKEN: 'invalid_grant',
  BAD_ACCESS_TOKEN: 'invalid_grant',
  BAD_GRANT_TYPE: 'unsupported_grant_type',
};

/** HubSpot's OAuth error body: its own code in `status`, RFC 6749's in `error`. */
function createOAuthError(status: string, message: string, httpStatus = 400): HubSpotHttpError {
  return new HubSpotHttpError(httpStatus, {
    error: RFC6749_ERRORS[status] ?? 'invalid_request',
    error_description: message,
    status,
    message,
    correlationId: createCorrelationId(),
  });
}

/** Mints an authorization code for `portalId`, as if a user had installed the app there. */
export function mintAuthorizationCode(
  core: SandboxCore,
  portalId: number,
  scopes: string[] | undefined,
  redirectUri: string | undefined,
): string {
  if (!core.portals.has(portalId)) throw new Error(`No portal ${portalId}: call createPortal() first`);
  const code = randomUUID();
  core.codes.set(code, {
    code,
    portalId,
    scopes: scopes ?? [ALL_SCOPES],
    redirectUri,
    expiresAt: core.clock() + AUTHORIZATION_CODE_TTL_MS,
    used: false,
  });
  return code;
}

function issueAccessToken(core: SandboxCore, portalId: number, scopes: string[], now: number): string {
  const token = `CO${randomBytes(36).toString('base64url')}`;
  core.tokens.set(token, {
    token,
    portalId,
    kind: 'oauth',
    appKey: `oauth:${core.oauthApp.clientId}`,
    appId: core.oauthApp.appId,
    scopes,
    expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
  });
  return token;
}

function exchangeToken(ctx: PublicRouteContext): HubSpotReply {
  const form = new URLSearchParams(ctx.req.rawBody);
  const { core, now } = ctx;
  if (form.get('client_id') !== core.oauthApp.clientId) {
    throw createOAuthError('BAD_CLIENT_ID', 'missing or unknown client id');
  }
  if (form.get('client_secret') !== core.oauthApp.clientSecret) {
    throw createOAuthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
  }
  let portalId: number;
  let scopes: string[];
  let refreshToken: string;
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') {
    const code = core.codes.get(form.get('code') ?? '');
    if (code === undefined || code.used)
      throw createOAuthError('BAD_AUTH_CODE', 'missing or unknown auth code');
    if (code.expiresAt <= now) throw createOAuthError('EXPIRED_AUTH_CODE', 'auth code is expired');
    if (code.redirectUri !== undefined && form.get('redirect_uri') !== code.redirectUri) {
      throw createOAuthError('BAD_REDIRECT_URI', 'redirect_uri does not match initial redirect_uri');
    }
    code.used = true;
    portalId = code.portalId;
    scopes = code.scopes;
    refreshToken = `na1-${randomUUID()}`;
    core.refreshTokens.set(refreshToken, { token: refreshToken, portalId, scopes, revoked: false });
  } else if (grantType === 'refresh_token') {
    const record = core.refreshTokens.get(form.get('refresh_token') ?? '');
    if (record === undefined || record.revoked) {
      throw createOAuthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    }
    // HubSpot keeps the refresh token; only the access token is new.
    ({ portalId, scopes, token: refreshToken } = record);
  } else {
    throw createOAuthError('BAD_GRANT_TYPE', `unsupported grant_type: ${grantType ?? '(missing)'}`);
  }
  return {
    status: 200,
    body: {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: issueAccessToken(core, portalId, scopes, now),
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    },
  };
}

function describeAccessToken(ctx: PublicRouteContext): HubSpotReply {
  const token = ctx.core.tokens.get(ctx.req.params['token'] ?? '');
  if (token === undefined || token.kind !== 'oauth' || (token.expiresAt ?? 0) <= ctx.now) {
    throw createOAuthError('BAD_ACCESS_TOKEN', 'missing or unknown access token', 404);
  }
  return {
    status: 200,
    body: {
      token: token.token,
      user: 'sandbox-user@example.com',
      hub_domain: `portal-${token.portalId}.hubspot.example`,
      scopes: token.scopes,
      hub_id: token.portalId,
      app_id: token.appId,
      expires_in: Math.floor(((token.expiresAt ?? ctx.now) - ctx.now) / 1000),
      user_id: 1,
      token_type: 'access',
    },
  };
}

function describeRefreshToken(ctx: PublicRouteContext): HubSpotReply {
  const record = ctx.core.refreshTokens.get(ctx.req.params['token'] ?? '');
  if (record === undefined || record.revoked) {
    throw createOAuthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token', 404);
  }
  return {
    status: 200,
    body: {
      token: record.token,
      user: 'sandbox-user@example.com',
      hub_domain: `portal-${record.portalId}.hubspot.example`,
      scopes: record.scopes,
      hub_id: record.portalId,
      client_id: ctx.core.oauthApp.clientId,
      user_id: 1,
      token_type: 'refresh',
    },
  };
}

function revokeRefreshToken(ctx: PublicRouteContext): HubSpotReply {
  const record = ctx.core.refreshTokens.get(ctx.req.params['token'] ?? '');
  if (record !== undefined) record.revoked = true;
  return { status: 204 };
}

/**
 * Stands in for the consent page at app.hubspot.com/oauth/authorize: approves at once and redirects with a
 * code. The account is `portal_id` if given (a sandbox-only parameter), else the newest portal.
 */
function approveInstall(ctx: PublicRouteContext): HubSpotReply {
  const query = ctx.req.query;
  const redirectUri = query.get('redirect_uri');
  if (query.get('client_id') !== ctx.core.oauthApp.clientId || redirectUri === null) {
    return { status: 400, body: 'Unknown client_id or missing redirect_uri', contentType: 'text/plain' };
  }
  const portalIds = [...ctx.core.portals.keys()];
  const portalId = Number(query.get('portal_id') ?? portalIds[portalIds.length - 1]);
  if (!ctx.core.portals.has(portalId)) {
    return { status: 400, body: `No portal ${portalId} in the sandbox`, contentType: 'text/plain' };
  }
  const scopes = `${query.get('scope') ?? ''} ${query.get('optional_scope') ?? ''}`
    .split(/[\s+]+/)
    .filter(Boolean);
  const code = mintAuthorizationCode(ctx.core, portalId, scopes.length > 0 ? scopes : undefined, redirectUri);
  const location = new URL(redirectUri);
  location.searchParams.set('code', code);
  const state = query.get('state');
  if (state !== null) location.searchParams.set('state', state);
  return { status: 302, headers: { Location: location.toString() } };
}

export const oauthRoutes: Route[] = [
  { method: 'GET', pattern: '/oauth/authorize', auth: 'none', handle: approveInstall },
  { method: 'POST', pattern: '/oauth/v1/token', auth: 'none', handle: exchangeToken },
  { method: 'POST', pattern: '/oauth/v3/token', auth: 'none', handle: exchangeToken },
  { method: 'POST', pattern: '/oauth/v3/token/introspect', auth: 'none', handle: introspectToken },
  // The date-versioned OAuth API that replaces v1 (sunset 2027-02-16): same bodies as v3.
  { method: 'POST', pattern: '/oauth/2026-03/token', auth: 'none', handle: exchangeToken },
  { method: 'POST', pattern: '/oauth/2026-03/token/introspect', auth: 'none', handle: introspectToken },
  { method: 'GET', pattern: '/oauth/v1/access-tokens/:token', auth: 'none', handle: describeAccessToken },
  { method: 'GET', pattern: '/oauth/v1/refresh-tokens/:token', auth: 'none', handle: describeRefreshToken },
  { method: 'DELETE', pattern: '/oauth/v1/refresh-tokens/:token', auth: 'none', handle: revokeRefreshToken },
];
