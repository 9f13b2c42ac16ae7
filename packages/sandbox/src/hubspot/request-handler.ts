import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountRoutes } from './account-routes.js';
import { associationRoutes } from './associations-routes.js';
import { authenticate, checkScope } from './auth.js';
import { matchRoute, type Route, type SandboxCore } from './core.js';
import { formRoutes } from './forms-routes.js';
import {
  createApiError,
  createCorrelationId,
  HubSpotHttpError,
  readRawBody,
  writeReply,
  type HubSpotReply,
  type HubSpotRequest,
} from './http-kit.js';
import { oauthRoutes } from './oauth-routes.js';
import { portalViewRoutes } from './portal-view-routes.js';
import { objectBatchRoutes } from './objects-batch-routes.js';
import { objectRoutes } from './objects-routes.js';
import { objectSearchRoutes } from './objects-search-routes.js';
import { propertyRoutes } from './properties-routes.js';
import type { HubSpotLimiter } from './rate-limit.js';
import type { Portal } from './state.js';

/** Specific routes first: `/batch/create` must win over `/:id`. */
const ROUTES: Route[] = [
  ...objectBatchRoutes,
  ...accountRoutes,
  ...objectSearchRoutes,
  ...objectRoutes,
  ...propertyRoutes,
  ...associationRoutes,
  ...oauthRoutes,
  ...formRoutes,
  ...portalViewRoutes,
];

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
};

export type OutageMode = 'none' | 'down' | 'slow';

export interface OutageState {
  mode: OutageMode;
  slowMs: number;
  status: number;
}

export interface SandboxStats {
  requests: number;
  rateLimited: number;
  byPath: Record<string, number>;
}

export interface HandlerDeps {
  core: SandboxCore;
  limiter: HubSpotLimiter;
  outage: OutageState;
  stats: SandboxStats;
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/** What HubSpot's edge answers while it is down: Cloudflare's HTML for 502, a JSON error otherwise. */
function createOutageReply(status: number): HubSpotReply {
  if (status === 502) return { status, body: BAD_GATEWAY_HTML, contentType: 'text/html' };
  return {
    status,
    body: {
      status: 'error',
      message: 'Service Unavailable',
      correlationId: createCorrelationId(),
      category: 'UNAVAILABLE',
    },
  };
}

function count(stats: SandboxStats, key: string): void {
  stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
}

/** Answers one HTTP request like HubSpot: outage, routing, auth, limits, then the route. */
export async function handleRequest(
  deps: HandlerDeps,
  incoming: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { core, limiter, outage, stats } = deps;
  stats.requests++;
  if (outage.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, outage.slowMs));
  const method = incoming.method ?? 'GET';
  const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
  const match = matchRoute(ROUTES, method === 'OPTIONS' ? 'POST' : method, url.pathname);
  count(stats, match?.statKey ?? `${method} (unmatched)`);
  if (outage.mode === 'down') {
    if (outage.status === 0) return void incoming.socket.destroy();
    return writeReply(res, createOutageReply(outage.status));
  }
  if (match === undefined) {
    return writeReply(res, {
      status: 404,
      body: {
        status: 'error',
        message: `No HubSpot sandbox route for ${method} ${url.pathname}`,
        correlationId: createCorrelationId(),
        category: 'OBJECT_NOT_FOUND',
      },
    });
  }
  const cors = match.route.cors === true ? CORS_HEADERS : {};
  if (method === 'OPTIONS')
    return writeReply(res, { status: match.route.cors === true ? 204 : 404, headers: cors });
  const req: HubSpotRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    rawBody: await readRawBody(incoming),
    params: match.params,
  };
  const now = core.clock();
  let limitHeaders: Record<string, string> = {};
  try {
    let reply: HubSpotReply;
    if (match.route.auth === 'none') {
      reply = match.route.handle({ req, core, now });
    } else {
      const token = authenticate(core, req.headers, now);
      const portal = core.portals.get(token.portalId) as Portal;
      try {
        limitHeaders = limiter.admit(token, portal, now);
      } catch (error) {
        stats.rateLimited++;
        throw error;
      }
      if (match.route.omitRateLimitHeaders === true) limitHeaders = {};
      checkScope(token, method, url.pathname);
      reply = match.route.handle({ req, core, now, portal, token });
    }
    writeReply(res, { ...reply, headers: { ...cors, ...limitHeaders, ...reply.headers } });
  } catch (error) {
    const failure = error instanceof HubSpotHttpError ? error : toInternalError(error);
    writeReply(res, {
      status: failure.status,
      body: failure.body,
      headers: { ...cors, ...limitHeaders, ...failure.headers },
    });
  }
}

function toInternalError(error: unknown): HubSpotHttpError {
  console.error('HubSpot sandbox: unexpected error', error);
  return createApiError(500, 'INTERNAL_ERROR', 'internal error');
}
