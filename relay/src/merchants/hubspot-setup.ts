import type { Knex } from 'knex';
import type { HubSpotConnectionStatus } from '@onepagepay/protocol';
import type { HubSpotConfig } from '../config.js';
import { HubSpotConnection } from '../db/models/hubspot-connection.js';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { systemClock } from '../hubspot/clock.js';
import { buildConnectUrl } from '../hubspot/oauth.js';
import { recordAuditEvent, type Actor } from './audit.js';

const SYNC_STATES = ['pending', 'retrying', 'synced', 'failed'] as const;

/** The portal connected for the session's mode and how its transactions are syncing; never tokens. */
export async function hubspotStatus(
  knex: Knex,
  scope: TenantScope,
  hubspot: Pick<HubSpotConfig, 'oauth' | 'apiBase'>,
): Promise<HubSpotConnectionStatus> {
  return inTenantModeTransaction(knex, scope, async (trx) => {
    const connection = await HubSpotConnection.query(trx)
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .first();
    const counts = (await trx('transactions')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .whereNotNull('hubspot_sync_state')
      .groupBy('hubspot_sync_state')
      .select('hubspot_sync_state as state')
      .count('* as count')) as Array<{ state: string; count: string | number }>;
    const sync = Object.fromEntries(
      SYNC_STATES.map((state) => [state, Number(counts.find((row) => row.state === state)?.count ?? 0)]),
    ) as HubSpotConnectionStatus['sync'];
    return {
      livemode: scope.livemode,
      status: connection?.status ?? 'not_connected',
      portalId: connection ? Number(connection.portalId) : null,
      authKind: connection?.authKind ?? null,
      brokenReason: connection?.brokenReason ?? null,
      pausedUntil:
        connection?.pausedUntil && new Date(connection.pausedUntil) > new Date()
          ? new Date(connection.pausedUntil).toISOString()
          : null,
      propertiesReady: Boolean(connection?.propertiesReadyAt),
      oauthConfigured: Boolean(hubspot.oauth),
      sync,
    };
  });
}

/**
 * The install link for this tenant and mode, as `hubspot connect-url` prints it for operators: the
 * owner opens it in the same browser, which binds the install to that browser (oauth-state.ts).
 */
export async function startHubSpotConnect(
  knex: Knex,
  scope: TenantScope,
  hubspot: Pick<HubSpotConfig, 'oauth' | 'apiBase'>,
  actor: Actor,
): Promise<{ url: string }> {
  const url = buildConnectUrl({ hubspot, clock: systemClock }, scope).toString();
  await inTenantModeTransaction(knex, scope, (trx) =>
    recordAuditEvent(trx, scope, actor, { action: 'hubspot.connect_started' }),
  );
  return { url };
}
