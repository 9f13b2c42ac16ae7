import type { PortalSettings } from '../../hubspot/portal-settings.js';
import { BaseModel } from './base-model.js';

/** A tenant's HubSpot portal, per mode. Tokens are sealed (see hubspot/token-cipher.ts). */
export class HubSpotConnection extends BaseModel {
  static override tableName = 'hubspot_connections';
  static override idColumn = ['tenant_id', 'livemode'];

  tenantId!: string;
  livemode!: boolean;
  portalId!: string;
  authKind!: 'oauth' | 'private_app';
  accessToken!: string;
  refreshToken!: string | null;
  accessTokenExpiresAt!: Date | null;
  scopes!: string[];
  status!: 'connected' | 'broken' | 'disconnected';
  portalSettings!: PortalSettings | null;
  portalSettingsReadAt!: Date | null;
  brokenReason!: string | null;
  pausedUntil!: Date | null;
  propertiesReadyAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
}
