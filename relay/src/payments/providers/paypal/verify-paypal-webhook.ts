import { RelayError } from '../../../errors.js';
import type { PayPalAccount, PayPalAccounts } from './paypal-accounts.js';

const HEADERS = {
  auth_algo: 'paypal-auth-algo',
  cert_url: 'paypal-cert-url',
  transmission_id: 'paypal-transmission-id',
  transmission_sig: 'paypal-transmission-sig',
  transmission_time: 'paypal-transmission-time',
} as const;

export interface PayPalWebhookEvent {
  id: string;
  event_type: string;
  resource_type?: string;
  resource: Record<string, unknown>;
}

function invalid(message: string): RelayError {
  return new RelayError('webhook_signature_invalid', message);
}

/**
 * Asks PayPal's verify-webhook-signature API whether one of our webhooks (test, then live) sent
 * these bytes. The event goes back byte for byte as it came, so PayPal checks what it signed; the
 * mode whose webhook id verifies is the event's mode.
 */
export async function verifyPayPalWebhook(
  paypal: PayPalAccounts,
  rawBody: Buffer,
  header: (name: string) => string,
): Promise<{ event: PayPalWebhookEvent; account: PayPalAccount }> {
  const fields = Object.fromEntries(Object.entries(HEADERS).map(([field, name]) => [field, header(name)]));
  const missing = Object.entries(HEADERS).find(([field]) => !fields[field]);
  if (missing) throw invalid(`The ${missing[1].toUpperCase()} header is missing.`);
  const text = rawBody.toString('utf8');
  let event: PayPalWebhookEvent;
  try {
    event = JSON.parse(text) as PayPalWebhookEvent;
  } catch {
    throw invalid('The webhook body is not JSON.');
  }
  if (typeof event?.id !== 'string' || typeof event.event_type !== 'string')
    throw invalid('This is not a PayPal event.');
  for (const account of paypal.configuredModes()) {
    const webhookId = account.credentials.webhookId;
    if (!webhookId) continue;
    if (await askPayPal(account, fields, webhookId, text)) return { event, account };
  }
  throw invalid('The webhook signature does not verify.');
}

async function askPayPal(
  account: PayPalAccount,
  fields: Record<string, string>,
  webhookId: string,
  rawEvent: string,
): Promise<boolean> {
  const head = JSON.stringify({ ...fields, webhook_id: webhookId });
  const request = account.client.getRequestBuilderFactory()(
    'POST',
    '/v1/notifications/verify-webhook-signature',
  );
  request.header('Content-Type', 'application/json');
  request.text(`${head.slice(0, -1)},"webhook_event":${rawEvent}}`);
  request.authenticate([{ oauth2: true }]);
  const { result } = await request.callAsText();
  return (JSON.parse(result) as { verification_status?: string }).verification_status === 'SUCCESS';
}
