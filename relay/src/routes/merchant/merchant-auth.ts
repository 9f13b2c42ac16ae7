import type { Context, Middleware } from 'koa';
import type { Knex } from 'knex';
import type { ApiKeyScope } from '@onepagepay/protocol';
import type { TenantScope } from '../../db/tenant-scope.js';
import { RelayError } from '../../errors.js';
import { authenticateApiKey } from '../../merchants/api-keys.js';
import type { Actor } from '../../merchants/audit.js';
import { safeEqual } from '../../merchants/secrets.js';
import { resolveSession, SESSION_COOKIE, type ActiveSession } from '../../merchants/sessions.js';
import { noteRequestTenant } from '../../observability/request-context.js';

/** Who is calling a merchant route, in which tenant and mode. */
export interface MerchantCaller {
  kind: 'session' | 'api_key';
  scope: TenantScope;
  actor: Actor;
  scopes: readonly ApiKeyScope[];
  session?: ActiveSession;
}

export interface MerchantAuthDeps {
  knex: Knex;
  dashboardOrigins: readonly string[];
  now: () => Date;
}

/**
 * What a signed-in user may do, by role. Members read; owners also refund, manage API keys and read
 * the audit log. A member cannot mint an API key, so a key never holds more than its creator could do.
 */
const SCOPES_BY_ROLE: Record<'owner' | 'member', readonly ApiKeyScope[]> = {
  owner: ['transactions:read', 'contacts:read', 'refunds:write'],
  member: ['transactions:read', 'contacts:read'],
};
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestActor(ctx: Context): Pick<Actor, 'ip' | 'userAgent'> {
  return { ip: ctx.ip || null, userAgent: ctx.get('User-Agent') || null };
}

/**
 * Authenticates a merchant request by bearer API key or session cookie and checks the scope it
 * needs. Session requests that change state also need the CSRF token and an allowed Origin.
 * `sessionOnly` routes (account, keys, audit) refuse API keys; `ownerOnly` routes (keys, audit) also
 * refuse members.
 */
export function requireMerchant(
  deps: MerchantAuthDeps,
  options: {
    scope?: ApiKeyScope;
    sessionOnly?: boolean;
    ownerOnly?: boolean;
    allowWithoutMfaInLive?: boolean;
  } = {},
): Middleware {
  return async (ctx, next) => {
    const caller = await identify(ctx, deps);
    if (options.sessionOnly && caller.kind !== 'session') {
      throw new RelayError('forbidden', 'This route needs a signed-in merchant session, not an API key.');
    }
    if (options.ownerOnly && caller.session?.user.role !== 'owner') {
      throw new RelayError('forbidden', "Only the account's owners may do this.");
    }
    if (options.scope && !caller.scopes.includes(options.scope)) {
      throw new RelayError(
        'insufficient_scope',
        caller.kind === 'session'
          ? `A ${caller.session?.user.role} cannot use ${options.scope}; ask an owner.`
          : `This API key lacks the ${options.scope} scope.`,
      );
    }
    ctx.state.merchant = caller;
    noteRequestTenant(caller.scope);
    await next();
  };
}

async function identify(ctx: Context, deps: MerchantAuthDeps): Promise<MerchantCaller> {
  const authorization = ctx.get('Authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const key = match ? await authenticateApiKey(deps.knex, match[1]!) : undefined;
    if (!key)
      throw new RelayError(
        'unauthorized',
        'Send a valid, unrevoked API key as Authorization: Bearer opp_...',
      );
    return {
      kind: 'api_key',
      scope: { tenantId: key.tenantId, livemode: key.livemode },
      actor: { type: 'api_key', id: key.keyId, ...requestActor(ctx) },
      scopes: key.scopes,
    };
  }
  const token = ctx.cookies.get(SESSION_COOKIE);
  const session = token ? await resolveSession(deps.knex, token, deps.now()) : undefined;
  if (!session)
    throw new RelayError('unauthorized', 'Sign in first: the session is missing, ended or expired.');
  if (!SAFE_METHODS.has(ctx.method)) assertSameSiteRequest(ctx, deps, session.csrfToken);
  if (session.session.livemode && !session.session.mfa_verified_at) {
    throw new RelayError('mfa_required', 'Live mode needs two-factor authentication on this session.');
  }
  return {
    kind: 'session',
    scope: { tenantId: session.user.tenant_id, livemode: session.session.livemode },
    actor: { type: 'user', id: session.user.id, ...requestActor(ctx) },
    scopes: SCOPES_BY_ROLE[session.user.role],
    session,
  };
}

/** Origin must be the relay's own or a configured dashboard origin; the CSRF token must match. */
export function assertSameSiteRequest(ctx: Context, deps: MerchantAuthDeps, csrfToken?: string): void {
  assertAllowedOrigin(ctx, deps);
  if (csrfToken === undefined) return;
  const sent = ctx.get('X-CSRF-Token');
  if (!sent || !safeEqual(sent, csrfToken)) {
    throw new RelayError('csrf_failed', "Send the session's CSRF token in the X-CSRF-Token header.");
  }
}

export function assertAllowedOrigin(ctx: Context, deps: MerchantAuthDeps): void {
  const origin = ctx.get('Origin');
  const own = `${ctx.protocol}://${ctx.host}`;
  if (!origin || (origin !== own && !deps.dashboardOrigins.includes(origin))) {
    throw new RelayError(
      'csrf_failed',
      'This request must come from the merchant dashboard (Origin mismatch).',
    );
  }
}

export function callerOf(ctx: Context): MerchantCaller {
  return ctx.state.merchant as MerchantCaller;
}
