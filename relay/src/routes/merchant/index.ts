import type Router from '@koa/router';
import type { RouteDoc } from '@onepagepay/protocol';
import type { RelayConfig } from '../../config.js';
import type { Database } from '../../db/open-database.js';
import { TokenCipher } from '../../hubspot/token-cipher.js';
import type { Mailer } from '../../mail/mailer.js';
import { LoginThrottle } from '../../merchants/login-throttle.js';
import type { ProviderClients } from '../../payments/payment-deps.js';
import { accountRoutes } from './account-routes.js';
import { dataRoutes } from './data-routes.js';
import { MERCHANT_ROUTE_DOCS } from './route-docs.js';
import { SETUP_ROUTE_DOCS } from './setup-route-docs.js';
import { setupRoutes } from './setup-routes.js';

/** The merchant API's routers and their OpenAPI descriptions, for startRelay's extraRouters. */
export function merchantRouters(deps: {
  database: Database;
  /** Refunds go through the transaction's provider, which picks its own clients. */
  clients: ProviderClients;
  config: Pick<RelayConfig, 'merchant' | 'encryptionKeys' | 'hubspot'> &
    Partial<Pick<RelayConfig, 'cardTesting'>>;
  now?: () => Date;
  throttle?: LoginThrottle;
  /** Sends signup verification mails. */
  mailer: Mailer;
}): Array<{ router: Router; docs: RouteDoc[] }> {
  const shared = {
    knex: deps.database.knex,
    ...deps.clients,
    dashboardOrigins: deps.config.merchant.dashboardOrigins,
    totpIssuer: deps.config.merchant.totpIssuer,
    throttle:
      deps.throttle ??
      new LoginThrottle(
        { signupsPerIp: deps.config.merchant.signupsPerIpPerHour },
        deps.database.kind === 'postgres' ? deps.database.knex : undefined,
      ),
    mailer: deps.mailer,
    signupVerifyUrl: deps.config.merchant.signupVerifyUrl,
    now: deps.now ?? (() => new Date()),
    cipher: new TokenCipher(deps.config.encryptionKeys),
  };
  return [
    { router: accountRoutes(shared), docs: MERCHANT_ROUTE_DOCS },
    { router: dataRoutes({ ...shared, hubspot: deps.config.hubspot }), docs: [] },
    {
      router: setupRoutes({
        ...shared,
        hubspot: deps.config.hubspot,
        relayChallengeKeys: Boolean(deps.config.cardTesting?.challenge),
      }),
      docs: SETUP_ROUTE_DOCS,
    },
  ];
}
