import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxCore } from './core.js';
import { mintAuthorizationCode } from './oauth-routes.js';
import {
  DEFAULT_DAILY_LIMIT,
  DEFAULT_RATE_LIMIT,
  HubSpotLimiter,
  type RateLimitConfig,
} from './rate-limit.js';
import { handleRequest, type OutageMode, type OutageState, type SandboxStats } from './request-handler.js';
import { createSandboxControls, type HubSpotSandbox } from './sandbox-controls.js';

export interface HubSpotSandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Milliseconds since the epoch; drives timestamps, token expiry and the limits. Default `Date.now`. */
  clock?: () => number;
  /** Rolling window per app and portal; default 100 calls per 10 000 ms, like a HubSpot private app. */
  rateLimit?: RateLimitConfig;
  /** Calls per portal per UTC day for private-app tokens; default 250 000. */
  dailyLimit?: number;
  /**
   * Search leaves out records created less than this many ms ago, as HubSpot's search index lags a few
   * seconds behind writes. Default 0 (search sees every write at once).
   */
  searchLagMs?: number;
}

/**
 * Starts an HTTP fake of the HubSpot APIs the relay uses (CRM v3 objects, properties, associations v4,
 * OAuth, forms submissions v3), for the real `@hubspot/api-client` with `basePath` set to `url`.
 */
export async function startHubSpotSandbox(opts: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const core: SandboxCore = {
    clock: opts.clock ?? Date.now,
    portals: new Map(),
    tokens: new Map(),
    codes: new Map(),
    refreshTokens: new Map(),
    oauthApp: { clientId: randomUUID(), clientSecret: randomUUID(), appId: 1_000_001 },
    nextPortalId: 44_000_001,
    nextAppId: 2_000_001,
    searchLagMs: opts.searchLagMs ?? 0,
  };
  const limiter = new HubSpotLimiter(
    opts.rateLimit ?? DEFAULT_RATE_LIMIT,
    opts.dailyLimit ?? DEFAULT_DAILY_LIMIT,
  );
  const outage: OutageState = { mode: 'none', slowMs: 2000, status: 503 };
  const stats: SandboxStats = { requests: 0, rateLimited: 0, byPath: {} };
  const server = createServer((incoming, res) => {
    handleRequest({ core, limiter, outage, stats }, incoming, res).catch((error: unknown) => {
      console.error('HubSpot sandbox: request failed', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    oauthApp: { clientId: core.oauthApp.clientId, clientSecret: core.oauthApp.clientSecret },
    ...createSandboxControls(core),
    authorize(portalId, options = {}) {
      return mintAuthorizationCode(core, portalId, options.scopes, options.redirectUri);
    },
    setOutage(mode: OutageMode, options = {}) {
      outage.mode = mode;
      outage.slowMs = options.slowMs ?? 2000;
      outage.status = options.status ?? 503;
    },
    setRateLimit(limit) {
      limiter.config = { ...limit };
    },
    stats() {
      return { requests: stats.requests, rateLimited: stats.rateLimited, byPath: { ...stats.byPath } };
    },
    resetStats() {
      Object.assign(stats, { requests: 0, rateLimited: 0, byPath: {} });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}
