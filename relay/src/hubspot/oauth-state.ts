import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HubSpotConfig } from '../config.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import type { Clock } from './clock.js';

/**
 * The OAuth install in two signed steps. The operator's link carries a `ticket` (tenant, mode,
 * 30 minutes); opening it on the relay sets a random nonce cookie in that browser and sends it to
 * HubSpot with a `state` that holds the nonce's hash (10 minutes). The callback needs both, so a
 * callback URL replayed in another browser (login CSRF: connecting the attacker's portal) is refused.
 */
export const TICKET_TTL_MS = 30 * 60_000;
export const STATE_TTL_MS = 10 * 60_000;
export const OAUTH_NONCE_COOKIE = 'opp_hubspot_oauth';

export interface StateDeps {
  hubspot: Pick<HubSpotConfig, 'oauth'>;
  clock: Clock;
}

interface Signed {
  /** What the token is for, so a ticket is never accepted as a state or the other way round. */
  p: 'ticket' | 'state';
  t: string;
  l: boolean;
  e: number;
  n: string;
}

export function requireOAuth(hubspot: StateDeps['hubspot']) {
  if (!hubspot.oauth) {
    throw new RelayError(
      'invalid_request',
      'HubSpot OAuth is not configured: set HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI.',
    );
  }
  return hubspot.oauth;
}

function stateKey(deps: StateDeps): Buffer {
  // The client secret is already a secret shared with nobody but HubSpot; derive a separate key from it.
  return createHash('sha256')
    .update(`onepagepay-oauth-state:${requireOAuth(deps.hubspot).clientSecret}`)
    .digest();
}

function sign(deps: StateDeps, fields: Signed): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${createHmac('sha256', stateKey(deps)).update(payload).digest('base64url')}`;
}

function verify(deps: StateDeps, token: string, purpose: Signed['p']): Signed {
  const invalid = new RelayError(
    'invalid_request',
    'This HubSpot install link is invalid or expired: make a new one.',
  );
  const [payload = '', mac = ''] = token.split('.');
  const expected = createHmac('sha256', stateKey(deps)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Signed;
  if (parsed.p !== purpose || parsed.e < deps.clock.now()) throw invalid;
  return parsed;
}

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

/** The operator's link: names the tenant and mode, and starts an install in whichever browser opens it. */
export function signTicket(deps: StateDeps, scope: TenantScope): string {
  const n = randomBytes(8).toString('base64url');
  return sign(deps, {
    p: 'ticket',
    t: scope.tenantId,
    l: scope.livemode,
    e: deps.clock.now() + TICKET_TTL_MS,
    n,
  });
}

/** Opens a ticket: the browser's new nonce (for its cookie) and the state bound to it (for HubSpot). */
export function startState(deps: StateDeps, ticket: string): { nonce: string; state: string } {
  const opened = verify(deps, ticket, 'ticket');
  const nonce = randomBytes(32).toString('base64url');
  const state = sign(deps, {
    p: 'state',
    t: opened.t,
    l: opened.l,
    e: deps.clock.now() + STATE_TTL_MS,
    n: hashNonce(nonce),
  });
  return { nonce, state };
}

/**
 * The callback's check: a genuine, fresh state whose nonce is the one in this browser's cookie.
 * Returns the scope and the nonce hash, which the caller spends once (see consumeState).
 */
export function verifyState(
  deps: StateDeps,
  state: string,
  cookieNonce: string | undefined,
): { scope: TenantScope; nonceHash: string } {
  const opened = verify(deps, state, 'state');
  const presented = Buffer.from(hashNonce(cookieNonce ?? ''));
  const expected = Buffer.from(opened.n);
  if (!cookieNonce || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new RelayError(
      'invalid_request',
      'Finish the HubSpot install in the browser that opened the install link: open the link again.',
    );
  }
  return { scope: { tenantId: opened.t, livemode: opened.l }, nonceHash: opened.n };
}
