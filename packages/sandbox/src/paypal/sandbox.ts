import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishEvent } from './events.js';
import { handleRequest, type RequestContext } from './handle-request.js';
import { approveOrder } from './orders.js';
import { settleCapture } from './refunds.js';
import { isoTime, type PayPalState } from './state.js';
import type { PayPalSandbox, PayPalSandboxOptions } from './types.js';
import { capturePaymentsView, orderView } from './views.js';
import { PayPalWebhookDispatcher, WebhookSigner } from './webhooks.js';

const CREDENTIALS = { clientId: 'onepagepay-sandbox-client', clientSecret: 'onepagepay-sandbox-secret' };

/** Starts a local fake of PayPal's REST API that `@paypal/paypal-server-sdk` can be pointed at. */
export async function startPayPalSandbox(options: PayPalSandboxOptions = {}): Promise<PayPalSandbox> {
  const signer = await WebhookSigner.create(() => `${state.baseUrl}/v1/notifications/certs/sandbox`);
  const state: PayPalState = {
    baseUrl: '',
    clock: options.clock ?? Date.now,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 32_400,
    tokens: new Map(),
    orders: new Map(),
    captures: new Map(),
    refunds: new Map(),
    replies: new Map(),
    webhook: options.webhook ?? null,
    webhooks: new PayPalWebhookDispatcher(signer, options.webhookRetryDelaysMs ?? [100, 500, 2000], () =>
      isoTime(state),
    ),
    log: [],
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  };
  const context: RequestContext = { state, credentials: CREDENTIALS, signer };
  const server = createServer((request, response) => {
    handleRequest(context, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  state.baseUrl = `http://${address.address}:${address.port}`;

  return {
    url: state.baseUrl,
    port: address.port,
    credentials: { ...CREDENTIALS },
    setWebhook: (target) => {
      state.webhook = target;
    },
    approveOrder: (orderId, approval) => approveOrder(state, orderId, approval),
    settleCapture: (captureId, outcome) => settleCapture(state, captureId, outcome),
    orders: () => [...state.orders.values()].map((order) => structuredClone(orderView(state, order))),
    captures: () =>
      [...state.captures.values()].map((capture) => structuredClone(capturePaymentsView(state, capture))),
    emitEvent: (eventType, resource) => publishEvent(state, eventType, structuredClone(resource)),
    expireTokens: () => {
      for (const entry of state.tokens.values()) entry.expiresAt = state.clock();
    },
    requestLog: () => structuredClone(state.log),
    webhookAttempts: () => structuredClone(state.webhooks.attempts),
    settleWebhooks: () => state.webhooks.settle(),
    async close() {
      await state.webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
