import type { Knex } from 'knex';
import type { TeamMember } from '@onepagepay/protocol';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { isUuid } from '../ids.js';
import { recordAuditEvent, type Actor } from './audit.js';

interface TeamRow {
  id: string;
  email: string;
  role: 'owner' | 'member';
  totp_enabled_at: Date | null;
  created_at: Date;
}

const present = (row: TeamRow): TeamMember => ({
  id: row.id,
  email: row.email,
  role: row.role,
  twoFactorEnabled: row.totp_enabled_at !== null,
  createdAt: new Date(row.created_at).toISOString(),
});

const COLUMNS = ['id', 'email', 'role', 'totp_enabled_at', 'created_at'];

/** The tenant's users, oldest first (users belong to the tenant, not to a mode). */
export async function listTeam(knex: Knex, scope: TenantScope): Promise<TeamMember[]> {
  const rows = (await inTenantTransaction(knex, scope, (trx) =>
    trx('merchant_users').where({ tenant_id: scope.tenantId }).orderBy('created_at').select(COLUMNS),
  )) as TeamRow[];
  return rows.map(present);
}

/**
 * Makes a user an owner or a member. The tenant always keeps an owner: the last one cannot be made a
 * member, or nobody could refund, manage keys or read the audit log any more. Roles are read on
 * every request, so the change holds from the user's next click.
 */
export async function changeRole(
  knex: Knex,
  scope: TenantScope,
  userId: string,
  role: 'owner' | 'member',
  actor: Actor,
): Promise<TeamMember> {
  if (!isUuid(userId)) throw notFound();
  return inTenantTransaction(knex, scope, async (trx) => {
    // Locks the owners, so two owners demoting each other at once cannot both succeed.
    const owners = (await trx('merchant_users')
      .where({ tenant_id: scope.tenantId, role: 'owner' })
      .forUpdate()
      .pluck('id')) as string[];
    const user = (await trx('merchant_users')
      .where({ tenant_id: scope.tenantId, id: userId })
      .first(COLUMNS)) as TeamRow | undefined;
    if (!user) throw notFound();
    if (role === 'member' && user.role === 'owner' && owners.length === 1) {
      throw new RelayError(
        'conflict',
        'This is the only owner: make another user an owner first, then change this role.',
      );
    }
    if (user.role === role) return present(user);
    const [updated] = (await trx('merchant_users')
      .where({ tenant_id: scope.tenantId, id: userId })
      .update({ role, updated_at: trx.fn.now() })
      .returning(COLUMNS)) as TeamRow[];
    await recordAuditEvent(trx, scope, actor, {
      action: 'user.role_changed',
      accountLevel: true,
      target: userId,
      details: { from: user.role, to: role },
    });
    return present(updated!);
  });
}
