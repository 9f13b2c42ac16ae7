import type { Knex } from 'knex';
import { Tenant } from '../db/models/tenant.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { normalizeOrigin } from '../tenants/create-tenant.js';
import { recordAuditEvent, type Actor } from './audit.js';

export const MAX_ALLOWED_ORIGINS = 20;

/** The origins whose pages may take payments for this tenant (both modes share them). */
export async function getAllowedOrigins(knex: Knex, scope: TenantScope): Promise<string[]> {
  const tenant = await Tenant.query(knex).findById(scope.tenantId);
  if (!tenant) throw notFound();
  return [...tenant.allowedOrigins].sort();
}

/**
 * Replaces the list. Each entry is checked here (to say what is wrong) and again by the definer
 * function, which writes only the tenant this transaction is bound to (migration 021).
 */
export async function setAllowedOrigins(
  knex: Knex,
  scope: TenantScope,
  origins: readonly string[],
  actor: Actor,
): Promise<string[]> {
  if (origins.length > MAX_ALLOWED_ORIGINS) {
    throw new RelayError('invalid_request', `Give at most ${MAX_ALLOWED_ORIGINS} origins.`);
  }
  const cleaned = [...new Set(origins.map((origin) => normalizeOrigin(origin.trim())))];
  const before = await getAllowedOrigins(knex, scope);
  return inTenantTransaction(knex, scope, async (trx) => {
    const result = (await trx.raw('select onepagepay_set_allowed_origins(?::text[]) as origins', [
      cleaned,
    ])) as { rows: Array<{ origins: string[] }> };
    const saved = result.rows[0]?.origins ?? [];
    await recordAuditEvent(trx, scope, actor, {
      action: 'origins.updated',
      accountLevel: true,
      details: {
        added: saved.filter((origin) => !before.includes(origin)),
        removed: before.filter((origin) => !saved.includes(origin)),
      },
    });
    return saved;
  });
}
