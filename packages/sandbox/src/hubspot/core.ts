import type { HubSpotReply, HubSpotRequest } from './http-kit.js';
import type { Portal, TokenRecord } from './state.js';

export interface AuthorizationCode {
  code: string;
  portalId: number;
  scopes: string[];
  redirectUri?: string;
  expiresAt: number;
  used: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  portalId: number;
  scopes: string[];
  revoked: boolean;
}

/** The sandbox's whole mutable state, shared by the routes and the test controls. */
export interface SandboxCore {
  clock: () => number;
  portals: Map<number, Portal>;
  tokens: Map<string, TokenRecord>;
  codes: Map<string, AuthorizationCode>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  oauthApp: { clientId: string; clientSecret: string; appId: number };
  nextPortalId: number;
  nextAppId: number;
  /** Records younger than this stay out of search results, like HubSpot's lagging search index. */
  searchLagMs: number;
}

/** What an unauthenticated route handler gets. */
export interface PublicRouteContext {
  req: HubSpotRequest;
  core: SandboxCore;
  now: number;
}

/** What an authenticated route handler gets: the caller's token and its portal. */
export interface RouteContext extends PublicRouteContext {
  portal: Portal;
  token: TokenRecord;
}

interface RouteBase {
  method: string;
  /** Segments; `:name` captures one segment. */
  pattern: string;
  /** Leave out the X-HubSpot-RateLimit-* headers (HubSpot's search endpoints send none). */
  omitRateLimitHeaders?: boolean;
  /** Answer CORS preflights and add Access-Control-Allow-Origin (the forms endpoints). */
  cors?: boolean;
}

export type Route =
  | (RouteBase & { auth: 'token'; handle: (ctx: RouteContext) => HubSpotReply })
  | (RouteBase & { auth: 'none'; handle: (ctx: PublicRouteContext) => HubSpotReply });

/** Names of captured segments whose value replaces the placeholder in `stats().byPath` keys. */
const KEPT_PARAMS = new Set(['type', 'fromType', 'toType', 'objectType']);

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string>; statKey: string } | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/').filter((part) => part !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const keyParts: string[] = [];
    let matched = true;
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as string;
      const segment = decodeURIComponent(segments[index] as string);
      if (part.startsWith(':')) {
        const name = part.slice(1);
        params[name] = segment;
        keyParts.push(KEPT_PARAMS.has(name) ? segment : `{${name}}`);
      } else if (part === segment) {
        keyParts.push(part);
      } else {
        matched = false;
        break;
      }
    }
    if (matched) return { route, params, statKey: `${method} /${keyParts.join('/')}` };
  }
  return undefined;
}
