import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';
import type { Knex } from 'knex';
import { isUuid } from '../ids.js';

/**
 * Which browser origins may call the public payment routes. A tenant lists its own origins. Where
 * the tenant is in the path, only its origins are answered; a preflight (which has no body, so no
 * tenant) is answered for an origin that some tenant allows, and the route itself then checks the
 * origin against the one tenant named in the request.
 */
export class OriginDirectory {
  private readonly cache = new Map<string, { allowed: boolean; expiresAt: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  isKnownOrigin(origin: string): Promise<boolean> {
    return this.remember(` ${origin}`, () =>
      this.knex('tenants').whereRaw('allowed_origins @> array[?]::text[]', [origin]).first('id'),
    );
  }

  /** True only when this tenant lists the origin: one tenant's origins never open another's routes. */
  isAllowedFor(tenantId: string, origin: string): Promise<boolean> {
    if (!isUuid(tenantId)) return Promise.resolve(false);
    return this.remember(`${tenantId} ${origin}`, () =>
      this.knex('tenants')
        .where({ id: tenantId })
        .whereRaw('allowed_origins @> array[?]::text[]', [origin])
        .first('id'),
    );
  }

  private async remember(key: string, lookup: () => Promise<unknown>): Promise<boolean> {
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.allowed;
    const allowed = (await lookup()) !== undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { allowed, expiresAt: this.now() + this.ttlMs });
    return allowed;
  }

  forget(): void {
    this.cache.clear();
  }
}

const SHARED: cors.Options = { allowHeaders: ['Content-Type'], maxAge: 600, credentials: false };

function originHeader(ctx: Context): string {
  const origin = ctx.get('Origin');
  return origin && origin.length <= 2048 ? origin : '';
}

/** CORS for the payment routes, whose tenant is in the body (or behind the payment id), not the path. */
export function publicCors(origins: OriginDirectory): Middleware {
  return cors({
    ...SHARED,
    allowMethods: ['GET', 'POST'],
    origin: async (ctx: Context) => {
      const origin = originHeader(ctx);
      return origin && (await origins.isKnownOrigin(origin)) ? origin : '';
    },
  });
}

/** CORS for a read whose tenant is the `:tenantId` in its path: only that tenant's origins. */
export function tenantPathCors(origins: OriginDirectory): Middleware {
  return cors({
    ...SHARED,
    allowMethods: ['GET'],
    origin: async (ctx: Context) => {
      const origin = originHeader(ctx);
      const tenantId = String((ctx as Context & { params?: Record<string, string> }).params?.tenantId ?? '');
      return origin && (await origins.isAllowedFor(tenantId, origin)) ? origin : '';
    },
  });
}

/**
 * CORS for GET /v1/status: it names no tenant and says only whether the relay and Stripe answer,
 * which anyone can ask with curl. `*` without credentials lets any page read it and, unlike echoing
 * origins some tenant allows, tells nobody which sites are customers.
 */
export function anyOriginCors(): Middleware {
  return cors({ ...SHARED, allowMethods: ['GET'], origin: '*' });
}
