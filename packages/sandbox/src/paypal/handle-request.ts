import type { IncomingMessage, ServerResponse } from 'node:http';
import { ISSUES, PayPalFailure, invalidRequest, notFound } from './errors.js';
import { authenticate, issueToken } from './oauth.js';
import { approveOrder, captureOrder, createOrder, getOrder, type Answer, type Call } from './orders.js';
import { serveBrowserSdk } from './browser-sdk.js';
import { getCapture, refundCapture } from './refunds.js';
import type { PayPalState } from './state.js';
import type { BuyerApproval, PayPalCredentials } from './types.js';
import type { WebhookSigner } from './webhooks.js';

const MAX_BODY_BYTES = 256 * 1024;

type Handler = (state: PayPalState, call: Call, id: string) => Answer;

/** The REST routes: path template, whether `PayPal-Request-Id` makes them idempotent, handler. */
const ROUTES: { method: string; template: string; pattern: RegExp; idempotent: boolean; handle: Handler }[] =
  [
    {
      method: 'POST',
      template: '/v2/checkout/orders',
      pattern: /^\/v2\/checkout\/orders$/,
      idempotent: true,
      handle: createOrder,
    },
    {
      method: 'GET',
      template: '/v2/checkout/orders/{id}',
      pattern: /^\/v2\/checkout\/orders\/([^/]+)$/,
      idempotent: false,
      handle: getOrder,
    },
    {
      method: 'POST',
      template: '/v2/checkout/orders/{id}/capture',
      pattern: /^\/v2\/checkout\/orders\/([^/]+)\/capture$/,
      idempotent: true,
      handle: captureOrder,
    },
    {
      method: 'GET',
      template: '/v2/payments/captures/{id}',
      pattern: /^\/v2\/payments\/captures\/([^/]+)$/,
      idempotent: false,
      handle: getCapture,
    },
    {
      method: 'POST',
      template: '/v2/payments/captures/{id}/refund',
      pattern: /^\/v2\/payments\/captures\/([^/]+)\/refund$/,
      idempotent: true,
      handle: refundCapture,
    },
  ];

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw malformedJson();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const malformedJson = () =>
  invalidRequest({ issue: 'MALFORMED_REQUEST_JSON', description: ISSUES.create.MALFORMED_REQUEST_JSON });

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw malformedJson();
}

export interface RequestContext {
  state: PayPalState;
  credentials: PayPalCredentials;
  signer: WebhookSigner;
}

function send(
  context: RequestContext,
  request: IncomingMessage,
  response: ServerResponse,
  route: string | null,
  answer: Answer,
) {
  const path = (request.url ?? '/').split('?')[0] as string;
  const requestId = header(request, 'paypal-request-id');
  context.state.log.push({
    method: request.method ?? 'GET',
    path,
    ...(requestId ? { requestId } : {}),
    status: answer.status,
  });
  if (context.state.log.length > 10_000) context.state.log.shift();
  context.state.onResponse?.({
    method: request.method ?? 'GET',
    path,
    route,
    status: answer.status,
    body: answer.body,
  });
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Access-Control-Allow-Origin': '*',
    'Paypal-Debug-Id': 'sandbox',
  });
  response.end(body);
}

function answerApiCall(context: RequestContext, request: IncomingMessage, path: string, text: string) {
  const { state } = context;
  const method = request.method ?? 'GET';
  const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return { route: null, answer: { status: 404, body: notFound().body } };
  const clientId = authenticate(state, header(request, 'authorization'));
  const id = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
  const requestId = header(request, 'paypal-request-id');
  const key = `${clientId} ${method} ${path} ${requestId}`;
  const saved = route.idempotent && requestId ? state.replies.get(key) : undefined;
  // A retried request id gets the first answer again, as 200 OK (PayPal's "idempotent request").
  if (saved)
    return {
      route: route.template,
      answer: { status: saved.status === 201 ? 200 : saved.status, body: saved.body },
    };
  const call: Call = {
    clientId,
    body: method === 'POST' ? parseJson(text) : {},
    representation: /return=representation/.test(header(request, 'prefer') ?? ''),
  };
  const answer = route.handle(state, call, id);
  if (route.idempotent && requestId) state.replies.set(key, answer);
  return { route: route.template, answer };
}

/** Serves one request to the fake: OAuth2, the REST API, webhook verification and test controls. */
export async function handleRequest(
  context: RequestContext,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const { state } = context;
  const path = (request.url ?? '/').split('?')[0] as string;
  let route: string | null = null;
  try {
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type',
      });
      response.end();
      return;
    }
    const text = await readBody(request);
    if (request.method === 'POST' && path === '/v1/oauth2/token') {
      route = '/v1/oauth2/token';
      send(context, request, response, route, {
        status: 200,
        body: issueToken(state, header(request, 'authorization'), text, context.credentials),
      });
      return;
    }
    if (request.method === 'GET' && path === '/v1/notifications/certs/sandbox') {
      response
        .writeHead(200, { 'Content-Type': 'application/x-pem-file' })
        .end(context.signer.publicKeyPem());
      return;
    }
    if (request.method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      route = path;
      authenticate(state, header(request, 'authorization'));
      send(context, request, response, route, { status: 200, body: verifySignature(context, text) });
      return;
    }
    if (request.method === 'GET' && path === '/sdk/js') {
      await serveBrowserSdk(context, request, response);
      return;
    }
    const approve = /^\/sandbox\/orders\/([^/]+)\/approve$/.exec(path);
    if (request.method === 'POST' && approve) {
      // The browser fake of PayPal's approval window: no credentials, as the buyer has none of the merchant's.
      approveOrder(state, decodeURIComponent(approve[1] as string), parseJson(text) as BuyerApproval);
      send(context, request, response, null, { status: 204, body: undefined });
      return;
    }
    const result = answerApiCall(context, request, path, text);
    route = result.route;
    send(context, request, response, route, result.answer);
  } catch (error) {
    if (!(error instanceof PayPalFailure)) throw error;
    send(context, request, response, route ?? ROUTES.find((r) => r.pattern.test(path))?.template ?? null, {
      status: error.status,
      body: error.body,
    });
  }
}

function verifySignature(context: RequestContext, text: string) {
  const body = parseJson(text);
  const field = (name: string) => {
    const value = body[name];
    if (typeof value !== 'string' || value === '') {
      throw invalidRequest({
        issue: 'MISSING_REQUIRED_PARAMETER',
        description: `${name} is required`,
        field: `/${name}`,
      });
    }
    return value;
  };
  if (body.webhook_event === null || typeof body.webhook_event !== 'object') field('webhook_event');
  if (field('auth_algo') !== 'SHA256withRSA') return { verification_status: 'FAILURE' };
  const valid = context.signer.verify({
    transmissionId: field('transmission_id'),
    transmissionTime: field('transmission_time'),
    transmissionSig: field('transmission_sig'),
    webhookId: field('webhook_id'),
    certUrl: field('cert_url'),
    // PayPal checks the event as the receiver sends it back: the delivered bytes, re-serialised.
    body: JSON.stringify(body.webhook_event),
  });
  return { verification_status: valid ? 'SUCCESS' : 'FAILURE' };
}
