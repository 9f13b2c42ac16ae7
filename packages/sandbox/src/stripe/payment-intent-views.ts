import type { ApiContext } from './context.js';
import { invalidRequest, missingParam, resourceMissing } from './errors.js';
import { readString } from './form.js';
import type { PaymentIntent } from './store.js';

/** The fields a publishable key may read, as Stripe.js's `retrievePaymentIntent` gets them. */
const PUBLIC_FIELDS = [
  'id',
  'object',
  'amount',
  'amount_details',
  'automatic_payment_methods',
  'canceled_at',
  'cancellation_reason',
  'capture_method',
  'client_secret',
  'confirmation_method',
  'created',
  'currency',
  'description',
  'last_payment_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_types',
  'processing',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'status',
];

/** The PaymentIntent as the caller's key may see it: whole for a secret key, trimmed for a publishable one. */
export function presentIntent(ctx: ApiContext, intent: PaymentIntent): Record<string, unknown> {
  if (ctx.keyKind === 'secret') return intent;
  return Object.fromEntries(PUBLIC_FIELDS.map((field) => [field, intent[field] ?? null]));
}

export function findIntent(ctx: ApiContext, id: string, param = 'intent'): PaymentIntent {
  const intent = ctx.ledger.paymentIntents.get(id);
  if (!intent) throw resourceMissing('payment_intent', id, param);
  return intent;
}

/** A publishable key reaches a PaymentIntent only with its client secret, as in Stripe.js. */
export function checkClientSecret(ctx: ApiContext, intent: PaymentIntent): void {
  const secret = readString(ctx.params, 'client_secret');
  if (ctx.keyKind === 'secret' && secret === undefined) return;
  if (secret === undefined) throw missingParam('client_secret');
  if (secret !== intent.client_secret) {
    throw invalidRequest(
      'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
      { param: 'client_secret', status: 400, saved: false },
    );
  }
}
