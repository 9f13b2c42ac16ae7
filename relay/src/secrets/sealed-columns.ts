import { tokenContext } from '../hubspot/connection-store.js';
import { totpContext } from '../merchants/totp-secrets.js';

/**
 * Every database column that holds a secret sealed with ONEPAGEPAY_ENCRYPTION_KEYS, with the
 * context the secret is bound to. A new sealed column is added here, or `rotate-key` would leave
 * it on an old key and removing that key would lock it out.
 */
export interface SealedColumn {
  /** How the report names it. */
  name: string;
  table: string;
  column: string;
  /** The row's primary key, in order (keyset pagination walks it). */
  keys: readonly string[];
  context(row: Record<string, unknown>): string;
  /** Values stored in plain text by older releases are sealed too (TOTP secrets were, once). */
  sealsPlainText: boolean;
}

const hubspotToken = (which: 'access' | 'refresh'): SealedColumn => ({
  name: `hubspot ${which} tokens`,
  table: 'hubspot_connections',
  column: `${which}_token`,
  keys: ['tenant_id', 'livemode'],
  context: (row) =>
    tokenContext({ tenantId: row.tenant_id as string, livemode: row.livemode === true }, which),
  sealsPlainText: false,
});

const totpSecret = (column: string, name: string): SealedColumn => ({
  name,
  table: 'merchant_users',
  column,
  keys: ['tenant_id', 'id'],
  context: (row) => totpContext({ tenant_id: row.tenant_id as string, id: row.id as string }),
  sealsPlainText: true,
});

/** What a tenant's CAPTCHA secret is bound to: a sealed secret copied to another tenant does not open. */
export const challengeSecretContext = (tenantId: string) => `challenge-secret:${tenantId}`;

const challengeSecret: SealedColumn = {
  name: 'CAPTCHA secret keys',
  table: 'tenants',
  column: 'challenge_secret',
  keys: ['id'],
  context: (row) => challengeSecretContext(row.id as string),
  sealsPlainText: false,
};

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  hubspotToken('access'),
  hubspotToken('refresh'),
  totpSecret('totp_secret', 'TOTP secrets'),
  totpSecret('pending_totp_secret', 'TOTP secrets being enrolled'),
  challengeSecret,
];
