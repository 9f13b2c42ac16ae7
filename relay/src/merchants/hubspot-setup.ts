import type { Knex } from 'knex';
import type { HubSpotConnectionStatus } from '@onepagepay/protocol';
import type { HubSpotConfig } from '../config.js';
import { HubSpotConnection } from '../db/models/hubspot-connection.js';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { systemClock } from '../hubspot/clock.js';
import { buildConnectUrl } from '../hubspot/oauth.js';
import { isUuid } from '../ids.js';
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

/**
 * Puts one transaction's dead HubSpot jobs back in the queue with a fresh attempt budget, as
 * `hubspot replay` does for an operator: for the merchant who fixed what made HubSpot refuse it.
 */
export async function replayTransactionSync(
  knex: Knex,
  scope: TenantScope,
  id: string,
  actor: Actor,
): Promise<{ requeued: number }> {
  if (!isUuid(id)) throw notFound();
  return inTenantModeTransaction(knex, scope, async (trx) => {
    const found = await trx('transactions')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, id })
      .first('id');
    if (!found) throw notFound();
    const requeued = await trx('outbox')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, transaction_id: id, status: 'dead' })
      .whereIn('topic', ['hubspot.transaction', 'hubspot.form_submission'])
      .update({
        status: 'pending',
        attempts: 0,
        run_after: trx.fn.now(),
        locked_until: null,
        updated_at: trx.fn.now(),
      });
    if (requeued === 0) {
      throw new RelayError(
        'conflict',
        'This transaction has no failed HubSpot sync to replay: it is synced, queued or still retrying.',
      );
    }
    await trx('transactions')
      .where({ tenant_id: scope.tenantId, id })
      .update({ hubspot_sync_state: 'pending' });
    await recordAuditEvent(trx, scope, actor, { action: 'hubspot.replayed', target: id });
    return { requeued };
  });
}
