import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { accountRefused, authenticate, publishableKeyRefused } from './api-keys.js';
import { apiError, rateLimited, StripeFailure, unrecognizedUrl } from './errors.js';
import { expandFields } from './expand.js';
import { malformedBody, parseForm, readExpand, type Params } from './form.js';
import { createRequestId } from './ids.js';
import { matchRoute, type Route } from './routes.js';
import { RequestContext } from './request-context.js';
import type { SandboxState } from './sandbox-state.js';
import { serveBrowserFile } from './static-files.js';
import { describeScope, type Scope } from './store.js';
import type { RequestLogEntry } from './types.js';

/** The API version the installed `stripe` package pins; answered when the caller names none. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LOG_ENTRIES = 10_000;
const LOG_TRIM_BATCH = 1_000;

const CORS_HEADERS = [
  'Access-Control-Allow-Origin',
  '*',
  'Access-Control-Expose-Headers',
  'Request-Id, Stripe-Should-Retry, Idempotent-Replayed, Original-Request',
];

interface Reply {
  status: number;
  /** Bytes, not a string: kept for idempotent replays, they stay outside the garbage-collected heap. */
  body: Buffer;
  headers: Record<string, string>;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  // Listeners, not `for await`: the async iterator costs more than the small bodies Stripe gets.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.destroy();
      reject(malformedBody());
    });
    request.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    request.once('error', reject);
  });
}

async function readParams(request: IncomingMessage, url: URL): Promise<Params> {
  const query = parseForm(url.search.slice(1));
  if (request.method !== 'POST') return query;
  const text = await readBody(request);
  const type = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
  if (text !== '' && !type.startsWith('application/x-www-form-urlencoded')) throw malformedBody();
  const body = parseForm(text);
  return Object.keys(query).length === 0 ? body : { ...query, ...body };
}

function admitByRateLimit(state: SandboxState): void {
  const { rateLimit } = state;
  if (rateLimit.perSecond === null) return;
  const now = performance.now();
  rateLimit.recent = rateLimit.recent.filter((at) => now - at < 1000);
  if (rateLimit.recent.length >= rateLimit.perSecond) throw rateLimited();
  rateLimit.recent.push(now);
}

function resolveScope(state: SandboxState, request: IncomingMessage, params: Params, route: Route) {
  const key = authenticate(header(request, 'authorization'), params);
  delete params.key;
  if (key.kind === 'publishable' && route.access === 'secret') throw publishableKeyRefused();
  const named =
    header(request, 'stripe-account') ??
    (typeof params._stripe_account === 'string' ? params._stripe_account : undefined);
  delete params._stripe_account;
  const { world } = state;
  const account = named === undefined || named === world.platformAccountId ? undefined : named;
  if (account !== undefined && !world.account(key.livemode, account)) throw accountRefused(key, account);
  const scope: Scope = { livemode: key.livemode };
  if (account !== undefined) scope.account = account;
  return { key, scope };
}

function errorReply(failure: StripeFailure, requestId: string, scope: Scope | undefined, now: number): Reply {
  const error = { ...failure.error };
  if (scope !== undefined) {
    error.request_log_url = `https://dashboard.stripe.com/${scope.livemode ? '' : 'test/'}logs/${requestId}?t=${now}`;
  }
  return {
    status: failure.status,
    body: Buffer.from(JSON.stringify({ error }, null, 2)),
    headers: { ...failure.headers },
  };
}

/** One API call, after the outage and rate checks: parse, authenticate, replay or run, save. */
async function callApi(
  state: SandboxState,
  request: IncomingMessage,
  url: URL,
  requestId: string,
  entry: RequestLogEntry,
): Promise<Reply> {
  const method = request.method ?? 'GET';
  const found = matchRoute(method, url.pathname);
  if (!found) throw unrecognizedUrl(method, url.pathname);
  const params = await readParams(request, url);
  const { key, scope } = resolveScope(state, request, params, found.route);
  entry.livemode = scope.livemode;
  if (scope.account !== undefined) entry.account = scope.account;
  const idempotencyKey = method === 'POST' ? header(request, 'idempotency-key') : undefined;
  const scopeName = `${key.kind}:${describeScope(scope)}`;
  const now = Math.floor(state.clock() / 1000);
  if (idempotencyKey !== undefined) {
    const saved = state.idempotency.begin(scopeName, idempotencyKey, url.pathname, params, state.clock());
    if (saved) {
      return {
        status: saved.status,
        body: saved.body,
        headers: { 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId },
      };
    }
  }
  let reply: Reply;
  let saved = true;
  try {
    if (state.outage.mode === 'slow') await delay(state.outage.slowMs);
    const ctx = new RequestContext(state, scope, {
      keyKind: key.kind,
      params,
      requestId,
      idempotencyKey,
      apiVersion: header(request, 'stripe-version') ?? DEFAULT_API_VERSION,
    });
    const body = expandFields(found.route.handler(ctx, found.ids), readExpand(params), ctx.ledger);
    reply = { status: 200, body: Buffer.from(JSON.stringify(body, null, 2)), headers: {} };
  } catch (error) {
    if (!(error instanceof StripeFailure)) {
      if (idempotencyKey !== undefined) state.idempotency.finish(scopeName, idempotencyKey, undefined);
      throw error;
    }
    reply = errorReply(error, requestId, scope, now);
    saved = error.saved;
  }
  if (idempotencyKey !== undefined) {
    const response = saved ? { status: reply.status, body: reply.body, requestId } : undefined;
    state.idempotency.finish(scopeName, idempotencyKey, response);
  }
  return reply;
}

function send(response: ServerResponse, reply: Reply, requestId: string, request: IncomingMessage): void {
  const idempotencyKey = request.method === 'POST' ? header(request, 'idempotency-key') : undefined;
  // Name, value, name, value: Node takes this flat list as is, without walking an object.
  const headers = [
    ...CORS_HEADERS,
    'Content-Type',
    'application/json',
    // As Stripe does; it also lets Node send head and body in one write instead of chunks.
    'Content-Length',
    String(reply.body.length),
    'Cache-Control',
    'no-cache, no-store',
    'Request-Id',
    requestId,
    'Stripe-Version',
    header(request, 'stripe-version') ?? DEFAULT_API_VERSION,
  ];
  if (idempotencyKey !== undefined) headers.push('Idempotency-Key', idempotencyKey);
  for (const [name, value] of Object.entries(reply.headers)) headers.push(name, value);
  response.writeHead(reply.status, headers);
  response.end(reply.body);
}

function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(204, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      header(request, 'access-control-request-headers') ??
      'Authorization, Content-Type, Stripe-Account, Stripe-Version, Idempotency-Key',
    'Access-Control-Max-Age': '300',
  });
  response.end();
}

/** Answers one HTTP request to the sandbox: CORS preflight, browser file or Stripe API call. */
export async function handleRequest(
  state: SandboxState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
  if (request.method === 'OPTIONS') return answerPreflight(request, response);
  if (request.method === 'GET' && url.pathname.startsWith('/js/')) {
    return serveBrowserFile(url.pathname, response, state.browserDir);
  }
  const requestId = createRequestId();
  const entry: RequestLogEntry = { method: request.method ?? 'GET', path: url.pathname, status: 0 };
  const idempotencyKey = header(request, 'idempotency-key');
  if (request.method === 'POST' && idempotencyKey !== undefined) entry.idempotencyKey = idempotencyKey;
  // Bounded (10,000 to 11,000 entries) so a long-running CLI sandbox does not grow without end;
  // trimmed in batches, since shifting one entry off per request moves the whole log every time.
  if (state.log.push(entry) > MAX_LOG_ENTRIES + LOG_TRIM_BATCH) state.log.splice(0, LOG_TRIM_BATCH);
  if (state.outage.mode === 'reset') {
    request.socket.destroy();
    return;
  }
  let reply: Reply;
  try {
    if (state.outage.mode === 'down') throw apiError();
    admitByRateLimit(state);
    reply = await callApi(state, request, url, requestId, entry);
  } catch (error) {
    const failure = error instanceof StripeFailure ? error : apiError();
    reply = errorReply(failure, requestId, undefined, 0);
  }
  entry.status = reply.status;
  send(response, reply, requestId, request);
}
