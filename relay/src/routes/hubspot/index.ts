import type Router from '@koa/router';
import type { RouteDoc } from '@onepagepay/protocol';
import type { Knex } from 'knex';
import type { RelayConfig } from '../../config.js';
import { createHubSpotClientFactory, type HubSpotClientFactory } from '../../hubspot/client-factory.js';
import { TokenCipher } from '../../hubspot/token-cipher.js';
import type { Logger } from '../../logger.js';
import { OAUTH_CALLBACK_DOCS, oauthCallbackRoutes } from './oauth-callback.js';
import { OAUTH_START_DOCS, oauthStartRoutes } from './oauth-start.js';

export interface HubSpotRouteDeps {
  config: RelayConfig;
  knex: Knex;
  logger: Logger;
  clientFactory?: HubSpotClientFactory;
}

/** The relay's HubSpot routes: the OAuth install's start (from the operator's link) and callback. */
export function hubspotRoutes(deps: HubSpotRouteDeps): Array<{ router: Router; docs: RouteDoc[] }> {
  const shared = {
    ...deps,
    cipher: new TokenCipher(deps.config.encryptionKeys),
    clientFactory: deps.clientFactory ?? createHubSpotClientFactory(deps.config.hubspot.apiBase),
  };
  return [
    { router: oauthStartRoutes(shared), docs: OAUTH_START_DOCS },
    { router: oauthCallbackRoutes(shared), docs: OAUTH_CALLBACK_DOCS },
  ];
}
