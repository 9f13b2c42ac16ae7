import type { Knex } from 'knex';
import type { ApiKey, ApiKeyScope } from '@onepagepay/protocol';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { recordAuditEvent, type Actor } from './audit.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { isUuid } from '../ids.js';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['transactions:read', 'contacts:read', 'refunds:write'];
const KEY_PATTERN = /^opp_(test|live)_[A-Za-z0-9_-]{43}$/;

interface ApiKeyRow {
  tenant_id: string;
  livemode: boolean;
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuthenticatedKey {
  tenantId: string;
  livemode: boolean;
  keyId: string;
  scopes: ApiKeyScope[];
}

/** Creates a key for the scope's tenant and mode; the secret is returned here and never again. */
export async function createApiKey(
  knex: Knex,
  scope: TenantScope,
  input: { name: string; scopes: ApiKeyScope[]; createdBy: string | null },
  actor: Actor,
): Promise<ApiKey & { secret: string }> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((entry) => !API_KEY_SCOPES.includes(entry))) {
    throw new RelayError('invalid_request', `Scopes are one or more of: ${API_KEY_SCOPES.join(', ')}.`);
  }
  const secret = `opp_${scope.livemode ? 'live' : 'test'}_${randomSecret(32)}`;
  return inTenantTransaction(knex, scope, async (trx) => {
    const [row] = (await trx('merchant_api_keys')
      .insert({
        tenant_id: scope.tenantId,
        livemode: scope.livemode,
        name: input.name.trim().slice(0, 100) || 'API key',
        prefix: secret.slice(0, 16),
        key_hash: sha256Hex(secret),
        scopes,
        created_by: input.createdBy,
      })
      .returning('*')) as ApiKeyRow[];
    await recordAuditEvent(trx, scope, actor, {
      action: 'api_key.created',
      accountLevel: true,
      target: row!.id,
      details: { scopes, livemode: scope.livemode },
    });
    return { ...presentApiKey(row!), secret };
  });
}

export async function listApiKeys(knex: Knex, scope: TenantScope): Promise<ApiKey[]> {
  const rows = (await inTenantTransaction(knex, scope, (trx) =>
    trx('merchant_api_keys')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .orderBy('created_at', 'desc')
      .limit(1000),
  )) as ApiKeyRow[];
  return rows.map(presentApiKey);
}

export async function revokeApiKey(
  knex: Knex,
  scope: TenantScope,
  keyId: string,
  actor: Actor,
): Promise<ApiKey> {
  if (!isUuid(keyId)) throw notFound();
  return inTenantTransaction(knex, scope, async (trx) => {
    const [row] = (await trx('merchant_api_keys')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, id: keyId })
      .update({ revoked_at: trx.raw('coalesce(revoked_at, now())') })
      .returning('*')) as ApiKeyRow[];
    if (!row) throw notFound();
    await recordAuditEvent(trx, scope, actor, {
      action: 'api_key.revoked',
      accountLevel: true,
      target: keyId,
    });
    return presentApiKey(row);
  });
}

/**
 * The tenant, mode and scopes of a bearer key, or undefined for an unknown, malformed or revoked
 * key. Records when the key was last used (at most once a minute, to keep reads read-mostly).
 */
export async function authenticateApiKey(knex: Knex, secret: string): Promise<AuthenticatedKey | undefined> {
  const match = KEY_PATTERN.exec(secret);
  if (!match) return undefined;
  const livemode = match[1] === 'live';
  const keyHash = sha256Hex(secret);
  const found = (await knex.raw(
    'select tenant_id, livemode, key_id, scopes from onepagepay_authenticate_api_key(?)',
    [keyHash],
  )) as { rows: Array<{ tenant_id: string; livemode: boolean; key_id: string; scopes: ApiKeyScope[] }> };
  const key = found.rows[0];
  if (!key || key.livemode !== livemode) return undefined;
  return { tenantId: key.tenant_id, livemode, keyId: key.key_id, scopes: key.scopes };
}

function presentApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    livemode: row.livemode,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}
