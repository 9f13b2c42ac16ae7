import type { Knex } from 'knex';
import { bindTenant, inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import { createSignupTenant } from '../tenants/create-tenant.js';
import { recordAuditEvent, type Actor } from './audit.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';

export interface MerchantUser {
  tenant_id: string;
  id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'member';
  totp_secret: string | null;
  pending_totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
  password_changed_at: Date;
}

export function normalizeLoginEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A verified signup: a new tenant and its first (owner) user, in one database transaction. The
 * password was checked against the policy and hashed when the signup was requested (signup.ts).
 */
export async function signUp(
  knex: Knex,
  input: { email: string; passwordHash: string; businessName: string },
  actor: Actor,
): Promise<{ tenantId: string; user: MerchantUser }> {
  const email = normalizeLoginEmail(input.email);
  const { passwordHash } = input;
  return knex.transaction(async (trx) => {
    const tenant = { id: await createSignupTenant(trx, input.businessName) };
    const scope = { tenantId: tenant.id, livemode: false };
    await bindTenant(trx, scope);
    const user = await insertUser(trx, scope, { email, passwordHash, role: 'owner' });
    await recordAuditEvent(
      trx,
      scope,
      { ...actor, type: 'user', id: user.id },
      {
        action: 'user.signed_up',
        accountLevel: true,
        target: user.id,
      },
    );
    return { tenantId: tenant.id, user };
  });
}

/** Adds a user to an existing tenant (`onepagepay-relay user invite`). */
export async function inviteUser(
  knex: Knex,
  input: { tenantId: string; email: string; password: string; role?: 'owner' | 'member' },
  actor: Actor,
): Promise<MerchantUser> {
  const email = normalizeLoginEmail(input.email);
  checkPasswordPolicy(input.password, { email });
  const passwordHash = await hashPassword(input.password);
  const scope = { tenantId: input.tenantId, livemode: false };
  return inTenantTransaction(knex, scope, async (trx) => {
    const tenant = await trx('tenants').where({ id: input.tenantId }).first('id');
    if (!tenant) throw new RelayError('not_found', `No tenant ${input.tenantId}.`);
    const user = await insertUser(trx, scope, { email, passwordHash, role: input.role ?? 'member' });
    await recordAuditEvent(trx, scope, actor, {
      action: 'user.invited',
      accountLevel: true,
      target: user.id,
    });
    return user;
  });
}

export async function insertUser(
  trx: Knex.Transaction,
  scope: TenantScope,
  input: { email: string; passwordHash: string; role: 'owner' | 'member' },
): Promise<MerchantUser> {
  try {
    const [user] = (await trx('merchant_users')
      .insert({
        tenant_id: scope.tenantId,
        email: input.email,
        password_hash: input.passwordHash,
        role: input.role,
      })
      .returning('*')) as MerchantUser[];
    return user as MerchantUser;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new RelayError(
        'conflict',
        'An account cannot be created with this email. Sign in, or use another email.',
      );
    }
    throw error;
  }
}

export async function findUser(trx: Knex.Transaction, tenantId: string, userId: string) {
  return (await trx('merchant_users').where({ tenant_id: tenantId, id: userId }).first()) as
    MerchantUser | undefined;
}

/** The tenant and user an email belongs to, asked before any tenant is known (SECURITY DEFINER). */
export async function findLoginCandidate(knex: Knex, email: string) {
  const result = (await knex.raw('select tenant_id, user_id from onepagepay_login_candidate(?)', [
    normalizeLoginEmail(email),
  ])) as { rows: Array<{ tenant_id: string; user_id: string }> };
  return result.rows[0];
}
