import type { PublicRouteContext } from './core.js';
import { createCorrelationId, HubSpotHttpError, type HubSpotReply } from './http-kit.js';

/**
 * `POST /oauth/2026-03/token/introspect` (and v3; form body: client credentials and the token): an access or a
 * refresh token's metadata with `token_use`, or `{active: false}` for one that is unknown, expired
 * or revoked (an uninstalled app's tokens).
 */
export function introspectToken(ctx: PublicRouteContext): HubSpotReply {
  const form = new URLSearchParams(ctx.req.rawBody);
  const { core, now } = ctx;
  if (
    form.get('client_id') !== core.oauthApp.clientId ||
    form.get('client_secret') !== core.oauthApp.clientSecret
  ) {
    throw new HubSpotHttpError(400, {
      error: 'invalid_client',
      error_description: 'missing or invalid client credentials',
      status: 'BAD_CLIENT_ID',
      message: 'missing or invalid client credentials',
      correlationId: createCorrelationId(),
      category: 'VALIDATION_ERROR',
    });
  }
  const value = form.get('token') ?? '';
  const access = core.tokens.get(value);
  const refresh = core.refreshTokens.get(value);
  const common = {
    active: true,
    token: value,
    user_id: 1,
    client_id: core.oauthApp.clientId,
    app_id: core.oauthApp.appId,
    is_private_distribution: false,
    user: 'sandbox-user@example.com',
  };
  if (access !== undefined && access.kind === 'oauth' && (access.expiresAt ?? 0) > now) {
    const expiresIn = Math.floor(((access.expiresAt ?? now) - now) / 1000);
    return {
      status: 200,
      body: {
        token_use: 'access_token',
        ...common,
        hub_id: access.portalId,
        hub_domain: `portal-${access.portalId}.hubspot.example`,
        scopes: access.scopes,
        expires_in: expiresIn,
        token_type: 'bearer',
        signed_access_token: {
          appId: core.oauthApp.appId,
          expiresAt: access.expiresAt,
          hubId: access.portalId,
          installingUserId: 1,
          isPrivateDistribution: false,
          isServiceAccount: false,
          isUserLevel: false,
          scopes: access.scopes.join(' '),
          userId: 1,
        },
      },
    };
  }
  if (refresh !== undefined && !refresh.revoked) {
    return {
      status: 200,
      body: {
        token_use: 'refresh_token',
        ...common,
        hub_id: refresh.portalId,
        hub_domain: `portal-${refresh.portalId}.hubspot.example`,
        scopes: refresh.scopes,
        token_type: 'refresh',
      },
    };
  }
  return { status: 200, body: { active: false } };
}
