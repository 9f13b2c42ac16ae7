import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayPalSandbox } from './types.js';

/** Helpers the PayPal sandbox suites share: calls with a token, and a real webhook receiver. */
export async function tokenFor(sandbox: PayPalSandbox, clientId = sandbox.credentials.clientId) {
  const secret =
    clientId === sandbox.credentials.clientId ? sandbox.credentials.clientSecret : `${clientId}-secret`;
  const response = await fetch(`${sandbox.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read PayPal answers by path
  body: Record<string, any>;
}

export async function callPayPal(
  sandbox: PayPalSandbox,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

export const ORDER_BODY = {
  intent: 'CAPTURE',
  purchase_units: [{ amount: { currency_code: 'USD', value: '25.00' }, custom_id: 'tenant:transaction' }],
};

/** Creates an order and lets the buyer approve it; answers the order id. */
export async function approvedOrder(
  sandbox: PayPalSandbox,
  token: string,
  instrument: 'ok' | 'declined' | 'pending' = 'ok',
) {
  const created = await callPayPal(sandbox, token, 'POST', '/v2/checkout/orders', ORDER_BODY);
  sandbox.approveOrder(created.body.id, { instrument, email: 'pat@example.com' });
  return created.body.id as string;
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** A real HTTP receiver that records webhook deliveries. */
export async function startReceiver() {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({
        body: Buffer.concat(chunks).toString('utf8'),
        headers: request.headers as Record<string, string>,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/paypal`;
  return { url, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The verify-webhook-signature request a receiver sends for one delivery. */
export function verificationOf(delivery: Delivery, webhookId: string, body = delivery.body) {
  return {
    auth_algo: delivery.headers['paypal-auth-algo'],
    cert_url: delivery.headers['paypal-cert-url'],
    transmission_id: delivery.headers['paypal-transmission-id'],
    transmission_sig: delivery.headers['paypal-transmission-sig'],
    transmission_time: delivery.headers['paypal-transmission-time'],
    webhook_id: webhookId,
    webhook_event: JSON.parse(body),
  };
}
