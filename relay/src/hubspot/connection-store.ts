import type { Knex } from 'knex';
import { HubSpotConnection } from '../db/models/hubspot-connection.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { PortalSettings } from './portal-settings.js';
import type { TokenCipher } from './token-cipher.js';

/** A connection with its tokens opened, for the one process that is about to call HubSpot. */
export interface OpenConnection {
  scope: TenantScope;
  portalId: number;
  authKind: 'oauth' | 'private_app';
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  status: 'connected' | 'broken' | 'disconnected';
  brokenReason: string | null;
  pausedUntil: Date | null;
  propertiesReadyAt: Date | null;
  /** Time zone, currencies and pipelines as last read from the portal; null before the first read. */
  portalSettings: PortalSettings | null;
}

export interface NewConnection {
  portalId: number;
  authKind: 'oauth' | 'private_app';
  accessToken: string;
  refreshToken?: string | null;
  accessTokenExpiresAt?: Date | null;
  scopes?: string[];
}

/** What a sealed token is bound to (also read by `rotate-key`, which re-seals it). */
export const tokenContext = (scope: TenantScope, which: 'access' | 'refresh') =>
  `hubspot:${scope.tenantId}:${scope.livemode ? 'live' : 'test'}:${which}`;

/** Connects (or reconnects) a tenant's portal; a reconnect clears a broken state and any pause. */
export async function saveConnection(
  knex: Knex,
  cipher: TokenCipher,
  scope: TenantScope,
  connection: NewConnection,
): Promise<void> {
  const row = {
    tenant_id: scope.tenantId,
    livemode: scope.livemode,
    portal_id: connection.portalId,
    auth_kind: connection.authKind,
    access_token: cipher.seal(connection.accessToken, tokenContext(scope, 'access')),
    refresh_token: connection.refreshToken
      ? cipher.seal(connection.refreshToken, tokenContext(scope, 'refresh'))
      : null,
    access_token_expires_at: connection.accessTokenExpiresAt ?? null,
    scopes: connection.scopes ?? [],
    status: 'connected',
    broken_reason: null,
    paused_until: null,
    properties_ready_at: null,
    portal_settings: null,
    portal_settings_read_at: null,
    updated_at: knex.fn.now(),
  };
  await inTenantTransaction(knex, scope, (trx) =>
    trx('hubspot_connections').insert(row).onConflict(['tenant_id', 'livemode']).merge(),
  );
}

export async function loadConnection(
  knex: Knex,
  cipher: TokenCipher,
  scope: TenantScope,
): Promise<OpenConnection | undefined> {
  const row = await inTenantTransaction(knex, scope, (trx) =>
    HubSpotConnection.query(trx).where({ tenant_id: scope.tenantId, livemode: scope.livemode }).first(),
  );
  if (!row) return undefined;
  return {
    scope,
    portalId: Number(row.portalId),
    authKind: row.authKind,
    accessToken: cipher.open(row.accessToken, tokenContext(scope, 'access')),
    refreshToken: row.refreshToken ? cipher.open(row.refreshToken, tokenContext(scope, 'refresh')) : null,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    status: row.status,
    brokenReason: row.brokenReason,
    pausedUntil: row.pausedUntil,
    propertiesReadyAt: row.propertiesReadyAt,
    portalSettings: row.portalSettingsReadAt ? row.portalSettings : null,
  };
}

/** Every connection of every tenant, without tokens (for `hubspot status`). */
export async function listConnections(knex: Knex): Promise<HubSpotConnection[]> {
  return HubSpotConnection.query(knex).orderBy(['tenant_id', 'livemode']);
}

export async function storeRefreshedToken(
  knex: Knex,
  cipher: TokenCipher,
  scope: TenantScope,
  accessToken: string,
  expiresAt: Date,
): Promise<void> {
  await updateConnection(knex, scope, {
    access_token: cipher.seal(accessToken, tokenContext(scope, 'access')),
    access_token_expires_at: expiresAt,
  });
}

/** The worker stops claiming this tenant's jobs until it is reconnected; nothing is dropped. */
export async function markBroken(knex: Knex, scope: TenantScope, reason: string): Promise<void> {
  await updateConnection(knex, scope, { status: 'broken', broken_reason: reason.slice(0, 500) });
}

/**
 * The app was uninstalled from the portal (its tokens are no longer active): nothing is sent until
 * the merchant installs it again; jobs wait, as for a broken connection.
 */
export async function markDisconnected(knex: Knex, scope: TenantScope, reason: string): Promise<void> {
  await updateConnection(knex, scope, { status: 'disconnected', broken_reason: reason.slice(0, 500) });
}

export async function savePortalSettings(
  knex: Knex,
  scope: TenantScope,
  settings: PortalSettings,
  at: Date,
): Promise<void> {
  await updateConnection(knex, scope, {
    portal_settings: JSON.stringify(settings),
    portal_settings_read_at: at,
  });
}

/** After a DAILY 429: only this tenant waits for HubSpot's reset. */
export async function pauseConnection(knex: Knex, scope: TenantScope, until: Date): Promise<void> {
  await updateConnection(knex, scope, { paused_until: until });
}

export async function markPropertiesReady(knex: Knex, scope: TenantScope, at: Date): Promise<void> {
  await updateConnection(knex, scope, { properties_ready_at: at });
}

async function updateConnection(knex: Knex, scope: TenantScope, patch: Record<string, unknown>) {
  await inTenantTransaction(knex, scope, (trx) =>
    trx('hubspot_connections')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .update({ ...patch, updated_at: trx.fn.now() }),
  );
}
