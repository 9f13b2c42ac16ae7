import type { Knex } from 'knex';
import type { TeamInvitation } from '@onepagepay/protocol';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { Mailer } from '../mail/mailer.js';
import type { Client } from './account.js';
import { recordAuditEvent, type Actor } from './audit.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { createSession } from './sessions.js';
import { insertUser, normalizeLoginEmail } from './users.js';
import { dashboardLink } from './dashboard-link.js';

/** An invitation link works once, within this time. */
export const INVITATION_TTL_MS = 72 * 60 * 60_000;
/** Pending invitations a tenant may hold at once: an owner's session cannot become a mail cannon. */
export const MAX_PENDING_INVITATIONS = 50;

export interface InvitationDeps {
  knex: Knex;
  mailer: Mailer;
  now: () => Date;
  /** The dashboard page the mail links to (`#invite=…` appended), as for signup verification. */
  signupVerifyUrl?: URL | undefined;
}

interface InvitationRow {
  tenant_id: string;
  id: string;
  email: string;
  role: 'owner' | 'member';
  created_at: Date;
  expires_at: Date;
}

const present = (row: InvitationRow): TeamInvitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: new Date(row.expires_at).toISOString(),
});

const COLUMNS = ['tenant_id', 'id', 'email', 'role', 'created_at', 'expires_at'];

/** Invitations not yet accepted, revoked or expired, newest first. */
export async function listInvitations(deps: InvitationDeps, scope: TenantScope): Promise<TeamInvitation[]> {
  const rows = (await inTenantTransaction(deps.knex, scope, (trx) =>
    pending(trx, scope, deps.now()).orderBy('created_at', 'desc').select(COLUMNS),
  )) as InvitationRow[];
  return rows.map(present);
}

const pending = (trx: Knex.Transaction, scope: TenantScope, now: Date) =>
  trx('merchant_invitations')
    .where({ tenant_id: scope.tenantId })
    .whereNull('accepted_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', now);

/**
 * An owner invites someone with a role: a single-use link goes to the address by mail. Whether the
 * address already has an account is not told to the owner (it is told to the invitee when they
 * accept), so inviting reveals nobody's account.
 */
export async function inviteTeamMember(
  deps: InvitationDeps,
  scope: TenantScope,
  input: { email: string; role: 'owner' | 'member' },
  actor: Actor,
): Promise<TeamInvitation> {
  const email = normalizeLoginEmail(input.email);
  const token = randomSecret(32);
  const now = deps.now();
  const invitation = await inTenantTransaction(deps.knex, scope, async (trx) => {
    const [{ count }] = (await pending(trx, scope, now).count({ count: '*' })) as [
      { count: string | number },
    ];
    if (Number(count) >= MAX_PENDING_INVITATIONS) {
      throw new RelayError(
        'conflict',
        `This account already has ${MAX_PENDING_INVITATIONS} open invitations: revoke some, or wait until they are accepted or expire.`,
      );
    }
    const [row] = (await trx('merchant_invitations')
      .insert({
        tenant_id: scope.tenantId,
        email,
        role: input.role,
        token_hash: sha256Hex(token),
        invited_by: actor.id,
        created_at: now,
        expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
      })
      .returning(COLUMNS)) as InvitationRow[];
    await recordAuditEvent(trx, scope, actor, {
      action: 'user.invited',
      accountLevel: true,
      target: row!.id,
      details: { role: input.role },
    });
    const tenant = (await trx('tenants').where({ id: scope.tenantId }).first('name')) as { name: string };
    return { row: row!, tenantName: tenant.name };
  });
  try {
    await deps.mailer.send(invitationMail(deps, email, invitation.tenantName, input.role, token));
  } catch (error) {
    // No mail, no way to accept: take the invitation back so it does not count as open.
    await inTenantTransaction(deps.knex, scope, (trx) =>
      trx('merchant_invitations')
        .where({ tenant_id: scope.tenantId, id: invitation.row.id })
        .update({ revoked_at: deps.now() }),
    );
    throw new RelayError('provider_unavailable', 'The invitation mail could not be sent. Try again later.', {
      cause: error,
    });
  }
  return present(invitation.row);
}

/** Takes back an invitation not yet accepted; its link stops working at once. */
export async function revokeInvitation(
  deps: InvitationDeps,
  scope: TenantScope,
  id: string,
  actor: Actor,
): Promise<void> {
  if (!isUuid(id)) throw notFound();
  await inTenantTransaction(deps.knex, scope, async (trx) => {
    const revoked = await pending(trx, scope, deps.now()).where({ id }).update({ revoked_at: deps.now() });
    if (revoked === 0) throw notFound();
    await recordAuditEvent(trx, scope, actor, {
      action: 'user.invitation_revoked',
      accountLevel: true,
      target: id,
    });
  });
}

const UNUSABLE = 'This invitation link is unknown, used, revoked or expired. Ask an owner for a new one.';

/**
 * The invitee opens the link and chooses a password: the invitation is taken once (the row is
 * marked in the transaction that creates the user), and they are signed in, in test mode, with a
 * session that still has to turn on 2FA before live mode opens.
 */
export async function acceptInvitation(
  deps: InvitationDeps,
  input: { token: string; password: string },
  client: Client,
): Promise<{ token: string }> {
  const tokenHash = sha256Hex(input.token);
  const found = (await deps.knex.raw('select onepagepay_invitation_tenant(?) as tenant_id', [tokenHash])) as {
    rows: Array<{ tenant_id: string | null }>;
  };
  const tenantId = found.rows[0]?.tenant_id;
  if (!tenantId) throw new RelayError('not_found', UNUSABLE);
  const scope = { tenantId, livemode: false };
  const now = deps.now();
  const invitation = (await inTenantTransaction(deps.knex, scope, (trx) =>
    pending(trx, scope, now).where({ token_hash: tokenHash }).first(COLUMNS),
  )) as InvitationRow | undefined;
  if (!invitation) throw new RelayError('not_found', UNUSABLE);
  checkPasswordPolicy(input.password, { email: invitation.email });
  const passwordHash = await hashPassword(input.password);
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    // Marked under the row's lock: of two tabs accepting at once, one creates the user.
    const taken = await pending(trx, scope, deps.now())
      .where({ id: invitation.id })
      .update({ accepted_at: deps.now() });
    if (taken === 0) throw new RelayError('not_found', UNUSABLE);
    const user = await insertUser(trx, scope, {
      email: invitation.email,
      passwordHash,
      role: invitation.role,
    });
    const actor = { type: 'user' as const, id: user.id, ...client };
    await recordAuditEvent(trx, scope, actor, {
      action: 'user.invitation_accepted',
      accountLevel: true,
      target: user.id,
      details: { invitation: invitation.id, role: invitation.role },
    });
    const session = await createSession(
      trx,
      { tenantId, userId: user.id, mfaVerified: false, ip: client.ip, userAgent: client.userAgent },
      deps.now(),
    );
    return { token: session.token };
  });
}

function invitationMail(
  deps: InvitationDeps,
  email: string,
  tenantName: string,
  role: 'owner' | 'member',
  token: string,
) {
  const link = dashboardLink(deps.signupVerifyUrl, 'invite', token);
  return {
    to: email,
    subject: `You are invited to ${tenantName} on OnePagePay`,
    text: [
      `An owner of ${tenantName} invited you to its OnePagePay dashboard as ${role === 'owner' ? 'an owner' : 'a member'}.`,
      ...(link ? ['', `Accept: ${link}`] : []),
      '',
      `Invitation token: ${token}`,
      '(your dashboard sends it as POST /v1/merchant/invitations/accept {"token": "...", "password": "..."})',
      '',
      'You choose a password, then turn on two-factor authentication. The link works once, within 72 hours.',
      'If you did not expect this, ignore this mail.',
    ].join('\n'),
  };
}
