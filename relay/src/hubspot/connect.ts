import type { Knex } from 'knex';
import type { HubSpotConfig } from '../config.js';
import type { TenantScope } from '../db/tenant-scope.js';
import type { Logger } from '../logger.js';
import type { HubSpotClientFactory } from './client-factory.js';
import { systemClock } from './clock.js';
import { loadConnection, markPropertiesReady, savePortalSettings } from './connection-store.js';
import { checkTenantForms } from './form-check.js';
import { HubSpotSession } from './hubspot-session.js';
import { refreshAccessToken } from './oauth.js';
import { readPortalSettings, type PortalSettings } from './portal-settings.js';
import { ensureCustomProperties } from './properties.js';
import { PortalRateLimiter } from './rate-limiter.js';
import type { TokenCipher } from './token-cipher.js';

export interface ConnectDeps {
  knex: Knex;
  cipher: TokenCipher;
  clientFactory: HubSpotClientFactory;
  hubspot: HubSpotConfig;
  logger: Logger;
}

/**
 * Reads what the relay must know before it relies on a portal: time zone, enabled currencies,
 * pipelines and stages, and the definition of each of the tenant's forms (which hidden fields they
 * lack). Stored, so the CLI and the merchant API can say what is missing before the first payment.
 */
export async function learnPortal(
  knex: Knex,
  scope: TenantScope,
  session: HubSpotSession,
  now: Date,
): Promise<PortalSettings> {
  const settings = await readPortalSettings(session);
  await savePortalSettings(knex, scope, settings, now);
  await checkTenantForms(knex, scope, session, now);
  return settings;
}

/**
 * Creates the custom properties and reads the portal's settings and forms right after a portal is
 * connected. If HubSpot fails now, the worker does it before its first push
 * (`properties_ready_at` and `portal_settings_read_at` stay empty), so connecting never fails on
 * it; the error is returned for the caller to show.
 */
export async function preparePortal(deps: ConnectDeps, scope: TenantScope): Promise<string | undefined> {
  const connection = await loadConnection(deps.knex, deps.cipher, scope);
  if (!connection) return 'not connected';
  const clock = systemClock;
  const session = new HubSpotSession(
    {
      clientFactory: deps.clientFactory,
      clock,
      timeoutMs: deps.hubspot.timeoutMs,
      limiterFor: () => new PortalRateLimiter(clock),
      refresh: (open) =>
        refreshAccessToken(
          {
            knex: deps.knex,
            cipher: deps.cipher,
            clientFactory: deps.clientFactory,
            hubspot: deps.hubspot,
            clock,
          },
          open,
        ),
    },
    connection,
  );
  try {
    await ensureCustomProperties(session);
    await markPropertiesReady(deps.knex, scope, new Date());
    await learnPortal(deps.knex, scope, session, new Date());
    return undefined;
  } catch (error) {
    deps.logger.warn({ err: error, tenantId: scope.tenantId }, 'hubspot properties not created yet');
    return error instanceof Error ? error.message : String(error);
  }
}
