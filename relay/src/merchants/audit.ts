import type { Knex } from 'knex';
import type { TenantScope } from '../db/tenant-scope.js';

/** Who did something, from where: recorded with every audit event. */
export interface Actor {
  type: 'user' | 'api_key' | 'cli' | 'anonymous';
  id: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure';
  target?: string | null;
  details?: Record<string, unknown>;
  /** Account events (logins, 2FA, keys) are shown in both modes; refunds and exports in their own. */
  accountLevel?: boolean;
}

/** Appends one event; the app role may insert and read audit_events but never change them. */
export async function recordAuditEvent(
  trx: Knex.Transaction,
  scope: TenantScope,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
  await trx('audit_events').insert({
    tenant_id: scope.tenantId,
    livemode: scope.livemode,
    account_level: entry.accountLevel ?? false,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    actor_type: actor.type,
    actor_id: actor.id,
    ip: actor.ip?.slice(0, 100) ?? null,
    user_agent: actor.userAgent?.slice(0, 500) ?? null,
    target: entry.target ?? null,
    details: JSON.stringify(entry.details ?? {}),
  });
}
