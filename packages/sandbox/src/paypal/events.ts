import { createPayPalId } from './views.js';
import { isoTime, type PayPalState } from './state.js';
import type { PayPalEvent } from './webhooks.js';

const SUMMARIES: Record<string, string> = {
  'CHECKOUT.ORDER.APPROVED': 'An order has been approved by buyer',
  'PAYMENT.CAPTURE.COMPLETED': 'Payment completed',
  'PAYMENT.CAPTURE.PENDING': 'Payment pending',
  'PAYMENT.CAPTURE.DENIED': 'Payment denied',
  'PAYMENT.CAPTURE.REFUNDED': 'A capture payment was refunded',
};

const RESOURCE_TYPES: Record<string, string> = {
  CHECKOUT: 'checkout-order',
  'PAYMENT.CAPTURE.REFUNDED': 'refund',
};

/** Wraps `resource` in PayPal's event envelope and delivers it to the webhook target. */
export function publishEvent(
  state: PayPalState,
  eventType: string,
  resource: Record<string, unknown>,
): Promise<void> {
  const id = `WH-${createPayPalId(17)}-${createPayPalId(17)}`;
  const event: PayPalEvent = {
    id,
    event_version: '1.0',
    create_time: isoTime(state),
    resource_type:
      RESOURCE_TYPES[eventType] ?? RESOURCE_TYPES[eventType.split('.')[0] as string] ?? 'capture',
    resource_version: '2.0',
    event_type: eventType,
    summary: SUMMARIES[eventType] ?? eventType,
    resource,
    links: [
      { href: `${state.baseUrl}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
      {
        href: `${state.baseUrl}/v1/notifications/webhooks-events/${id}/resend`,
        rel: 'resend',
        method: 'POST',
      },
    ],
  };
  return state.webhooks.deliver(event, state.webhook);
}
