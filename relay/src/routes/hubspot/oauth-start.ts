import Router from '@koa/router';
import { Type } from '@sinclair/typebox';
import type { RouteDoc } from '@onepagepay/protocol';
import type { RelayConfig } from '../../config.js';
import { RelayError } from '../../errors.js';
import { systemClock } from '../../hubspot/clock.js';
import { buildAuthorizeUrl } from '../../hubspot/oauth.js';
import { OAUTH_NONCE_COOKIE, STATE_TTL_MS, startState } from '../../hubspot/oauth-state.js';

export const OAUTH_START_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/hubspot/oauth/start',
    operationId: 'startHubSpotInstall',
    summary:
      'The install link from `hubspot connect-url`: binds the install to this browser, then goes to HubSpot',
    tags: ['hubspot'],
    query: {
      ticket: Type.String({ maxLength: 1024, description: 'The signed ticket from `hubspot connect-url`' }),
    },
    responses: {
      302: { description: "Redirects to HubSpot's consent page; sets the install's nonce cookie" },
      400: { description: 'An invalid or expired link' },
    },
  },
];

/** The nonce lives only on the OAuth paths; Lax, because HubSpot's redirect back is a cross-site navigation. */
export function oauthNonceCookie(value: string, maxAgeMs: number): string {
  return `${OAUTH_NONCE_COOKIE}=${value}; Path=/v1/hubspot/oauth; Max-Age=${Math.floor(maxAgeMs / 1000)}; HttpOnly; Secure; SameSite=Lax`;
}

export function oauthStartRoutes(deps: { config: RelayConfig }): Router {
  const router = new Router({ prefix: '/v1/hubspot' });
  router.get('/oauth/start', async (ctx) => {
    const ticket = typeof ctx.query['ticket'] === 'string' ? ctx.query['ticket'] : '';
    if (!ticket || ticket.length > 1024) {
      throw new RelayError('invalid_request', 'The HubSpot install link needs its `ticket`: make a new one.');
    }
    const stateDeps = { hubspot: deps.config.hubspot, clock: systemClock };
    const { nonce, state } = startState(stateDeps, ticket);
    ctx.set('Set-Cookie', oauthNonceCookie(nonce, STATE_TTL_MS));
    ctx.redirect(buildAuthorizeUrl(stateDeps, state).toString());
  });
  return router;
}
