import Router from '@koa/router';
import { HubSpotOAuthCallbackQuery, type RouteDoc } from '@onepagepay/protocol';
import { Type } from '@sinclair/typebox';
import type { Knex } from 'knex';
import type { RelayConfig } from '../../config.js';
import { RelayError } from '../../errors.js';
import type { HubSpotClientFactory } from '../../hubspot/client-factory.js';
import { systemClock } from '../../hubspot/clock.js';
import { preparePortal } from '../../hubspot/connect.js';
import { completeInstall } from '../../hubspot/oauth.js';
import type { TokenCipher } from '../../hubspot/token-cipher.js';
import { OAUTH_NONCE_COOKIE } from '../../hubspot/oauth-state.js';
import { oauthNonceCookie } from './oauth-start.js';
import type { Logger } from '../../logger.js';

export const OAUTH_CALLBACK_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/hubspot/oauth/callback',
    operationId: 'completeHubSpotInstall',
    summary: "HubSpot's redirect after a portal admin installed the app (from `hubspot connect-url`)",
    tags: ['hubspot'],
    query: {
      code: HubSpotOAuthCallbackQuery.properties.code,
      state: HubSpotOAuthCallbackQuery.properties.state,
    },
    responses: {
      200: {
        description: 'The portal is connected (an HTML page)',
        schema: Type.String(),
        contentType: 'text/html',
      },
      400: { description: 'An invalid or expired link, or HubSpot refused the code' },
    },
  },
];

export function oauthCallbackRoutes(deps: {
  config: RelayConfig;
  knex: Knex;
  logger: Logger;
  cipher: TokenCipher;
  clientFactory: HubSpotClientFactory;
}): Router {
  const router = new Router({ prefix: '/v1/hubspot' });
  router.get('/oauth/callback', async (ctx) => {
    const code = typeof ctx.query['code'] === 'string' ? ctx.query['code'] : '';
    const state = typeof ctx.query['state'] === 'string' ? ctx.query['state'] : '';
    if (!code || !state || code.length > 512 || state.length > 1024) {
      throw new RelayError('invalid_request', 'The HubSpot callback needs `code` and `state`.');
    }
    if (!deps.cipher.configured) {
      throw new RelayError('invalid_request', 'Set ONEPAGEPAY_ENCRYPTION_KEYS before connecting HubSpot.');
    }
    const { scope, portalId } = await completeInstall(
      { ...deps, hubspot: deps.config.hubspot, clock: systemClock },
      code,
      state,
      ctx.cookies.get(OAUTH_NONCE_COOKIE),
    );
    // The state is spent, so its nonce has no further use in this browser.
    ctx.append('Set-Cookie', oauthNonceCookie('', 0));
    const problem = await preparePortal({ ...deps, hubspot: deps.config.hubspot }, scope);
    deps.logger.info(
      { tenantId: scope.tenantId, livemode: scope.livemode, portalId },
      'hubspot portal connected',
    );
    ctx.type = 'text/html';
    ctx.body =
      `<!doctype html><meta charset="utf-8"><title>HubSpot connected</title>` +
      `<p>HubSpot portal ${portalId} is connected to OnePagePay (${scope.livemode ? 'live' : 'test'} mode).` +
      (problem ? ' Its custom properties will be created on the first sync.' : '') +
      ' You can close this tab.</p>';
  });
  return router;
}
