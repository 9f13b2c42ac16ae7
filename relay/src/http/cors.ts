import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';
import type { Knex } from 'knex';

/**
 * Which browser origins may call the public payment routes. A tenant lists its own origins; a
 * preflight (which has no body, so no tenant) is answered for an origin that some tenant allows, and
 * the route itself then checks the origin against the one tenant named in the request.
 */
export class OriginDirectory {
  private readonly cache = new Map<string, { allowed: boolean; expiresAt: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async isKnownOrigin(origin: string): Promise<boolean> {
    const hit = this.cache.get(origin);
    if (hit && hit.expiresAt > this.now()) return hit.allowed;
    const row = await this.knex('tenants')
      .whereRaw('allowed_origins @> array[?]::text[]', [origin])
      .first('id');
    const allowed = row !== undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(origin, { allowed, expiresAt: this.now() + this.ttlMs });
    return allowed;
  }

  forget(): void {
    this.cache.clear();
  }
}

/** CORS for the routes the SDK calls from the payer's browser; every other route sends none. */
export function publicCors(origins: OriginDirectory): Middleware {
  return cors({
    origin: async (ctx: Context) => {
      const origin = ctx.get('Origin');
      if (!origin || origin.length > 2048) return '';
      return (await origins.isKnownOrigin(origin)) ? origin : '';
    },
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
    credentials: false,
  });
}
