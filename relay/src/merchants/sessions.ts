import type { Knex } from 'knex';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { csrfTokenFor, randomSecret, sha256Hex } from './secrets.js';
import type { MerchantUser } from './users.js';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** Sensitive changes (password, 2FA, API keys) need a password entered this recently. */
export const REAUTH_WINDOW_MS = 5 * 60_000;
export const SESSION_COOKIE = 'opp_session';

export interface SessionRow {
  tenant_id: string;
  id: string;
  user_id: string;
  livemode: boolean;
  mfa_verified_at: Date | null;
  reauthenticated_at: Date;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface ActiveSession {
  session: SessionRow;
  user: MerchantUser;
  token: string;
  csrfToken: string;
}

/** A new session with a fresh 256-bit token; only its SHA-256 is stored. */
export async function createSession(
  trx: Knex.Transaction,
  input: {
    tenantId: string;
    userId: string;
    mfaVerified: boolean;
    livemode?: boolean;
    ip: string | null;
    userAgent: string | null;
    /** When the password was last proven, if not now (a verified signup: when it was typed). */
    reauthenticatedAt?: Date;
  },
  now: Date,
): Promise<{ token: string; session: SessionRow }> {
  const token = randomSecret(32);
  const [session] = (await trx('merchant_sessions')
    .insert({
      tenant_id: input.tenantId,
      user_id: input.userId,
      token_hash: sha256Hex(token),
      livemode: input.livemode ?? false,
      mfa_verified_at: input.mfaVerified ? now : null,
      reauthenticated_at: input.reauthenticatedAt ?? now,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
      ip: input.ip?.slice(0, 100) ?? null,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
    })
    .returning('*')) as SessionRow[];
  return { token, session: session as SessionRow };
}

/**
 * Replaces the session's token (at 2FA step-up, mode switch): the old token stops working at once,
 * and the new session keeps the absolute expiry and the re-authentication time of the old one.
 * Rotation proves nothing about the password, so it must never make a session "recently
 * re-authenticated" (that let a stolen cookie reach 2FA and API keys through a mode switch).
 */
export async function rotateSession(
  trx: Knex.Transaction,
  current: SessionRow,
  changes: { mfaVerified?: boolean; livemode?: boolean },
  now: Date,
): Promise<{ token: string; session: SessionRow }> {
  await trx('merchant_sessions')
    .where({ tenant_id: current.tenant_id, id: current.id })
    .update({ revoked_at: now });
  const token = randomSecret(32);
  const [session] = (await trx('merchant_sessions')
    .insert({
      tenant_id: current.tenant_id,
      user_id: current.user_id,
      token_hash: sha256Hex(token),
      livemode: changes.livemode ?? current.livemode,
      mfa_verified_at: changes.mfaVerified ? now : current.mfa_verified_at,
      reauthenticated_at: current.reauthenticated_at,
      created_at: current.created_at,
      last_seen_at: now,
      expires_at: current.expires_at,
    })
    .returning('*')) as SessionRow[];
  return { token, session: session as SessionRow };
}

/** Ends every session of a user ("log out everywhere"), e.g. after a password or 2FA change. */
export async function revokeUserSessions(trx: Knex.Transaction, tenantId: string, userId: string, now: Date) {
  return trx('merchant_sessions')
    .where({ tenant_id: tenantId, user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: now });
}

/**
 * The live session a cookie token names, or undefined when it is unknown, revoked, idle for more
 * than 30 minutes or older than 12 hours. A valid session's idle clock restarts.
 */
export async function resolveSession(
  knex: Knex,
  token: string,
  now: Date,
): Promise<ActiveSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const tokenHash = sha256Hex(token);
  const found = (await knex.raw('select onepagepay_session_tenant(?) as tenant_id', [tokenHash])) as {
    rows: Array<{ tenant_id: string | null }>;
  };
  const tenantId = found.rows[0]?.tenant_id;
  if (!tenantId) return undefined;
  return inTenantTransaction(knex, { tenantId, livemode: false }, async (trx) => {
    const session = (await trx('merchant_sessions')
      .where({ tenant_id: tenantId, token_hash: tokenHash })
      .whereNull('revoked_at')
      .first()) as SessionRow | undefined;
    if (!session) return undefined;
    const idle = now.getTime() - new Date(session.last_seen_at).getTime() > SESSION_IDLE_MS;
    if (idle || new Date(session.expires_at).getTime() <= now.getTime()) {
      await trx('merchant_sessions')
        .where({ tenant_id: tenantId, id: session.id })
        .update({ revoked_at: now });
      return undefined;
    }
    const user = (await trx('merchant_users').where({ tenant_id: tenantId, id: session.user_id }).first()) as
      MerchantUser | undefined;
    if (!user) return undefined;
    await trx('merchant_sessions')
      .where({ tenant_id: tenantId, id: session.id })
      .update({ last_seen_at: now });
    return { session: { ...session, last_seen_at: now }, user, token, csrfToken: csrfTokenFor(token) };
  });
}

export function sessionCookie(token: string, maxAgeMs: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/v1; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/v1; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}
