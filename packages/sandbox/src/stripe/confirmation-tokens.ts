import type { ApiContext, Handler } from './context.js';
import { invalidRequest, missingParam, resourceMissing } from './errors.js';
import { readObject, readString, rejectUnknownParams } from './form.js';
import { createId } from './ids.js';
import {
  STRIPE_JS_PARAMS,
  describeCard,
  readBillingDetails,
  readCardData,
  storeCardPaymentMethod,
} from './payment-methods.js';
import type { StripeObject } from './store.js';

const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** `POST /v1/confirmation_tokens`, as Stripe.js `createConfirmationToken` sends it. */
export const createConfirmationToken: Handler = (ctx) => {
  const { params } = ctx;
  rejectUnknownParams(params, [
    'payment_method_data',
    'return_url',
    'shipping',
    'setup_future_usage',
    'mandate_data',
    'payment_method_options',
    ...STRIPE_JS_PARAMS,
  ]);
  const data = readObject(params, 'payment_method_data');
  if (data === undefined) throw missingParam('payment_method_data');
  const card = readCardData(ctx, data, 'payment_method_data');
  const billing = readBillingDetails(data);
  const created = ctx.now();
  const token: StripeObject = {
    id: createId('ctoken'),
    object: 'confirmation_token',
    created,
    expires_at: created + TOKEN_LIFETIME_SECONDS,
    livemode: ctx.scope.livemode,
    mandate_data: null,
    payment_intent: null,
    payment_method_options: null,
    payment_method_preview: {
      allow_redisplay: 'unspecified',
      billing_details: billing,
      card: describeCard(card.details),
      customer: null,
      type: 'card',
    },
    return_url: readString(params, 'return_url') ?? null,
    setup_future_usage: readString(params, 'setup_future_usage') ?? null,
    setup_intent: null,
    shipping: params.shipping ?? null,
    use_stripe_sdk: true,
  };
  ctx.ledger.confirmationTokens.set(token.id, token);
  ctx.ledger.pendingCards.set(token.id, { details: card.details, billing });
  ctx.ledger.cardOutcomes.set(token.id, card.outcome);
  return token;
};

export const retrieveConfirmationToken: Handler = (ctx, [id = '']) => {
  const token = ctx.ledger.confirmationTokens.get(id);
  if (!token) throw resourceMissing('confirmationtoken', id);
  return token;
};

/** Turns a confirmation token into the payment method a PaymentIntent confirms with (once). */
export function redeemConfirmationToken(ctx: ApiContext, id: string, paymentIntentId: string): StripeObject {
  const token = ctx.ledger.confirmationTokens.get(id);
  const pending = ctx.ledger.pendingCards.get(id);
  const outcome = ctx.ledger.cardOutcomes.get(id);
  if (!token) throw resourceMissing('confirmationtoken', id, 'confirmation_token');
  if (!pending || !outcome || token.payment_intent !== null) {
    throw invalidRequest(`ConfirmationToken ${id} has already been used to confirm a PaymentIntent.`, {
      param: 'confirmation_token',
    });
  }
  if ((token.expires_at as number) < ctx.now()) {
    throw invalidRequest(`ConfirmationToken ${id} has expired.`, { param: 'confirmation_token' });
  }
  token.payment_intent = paymentIntentId;
  ctx.ledger.pendingCards.delete(id);
  return storeCardPaymentMethod(ctx, { details: pending.details, outcome }, pending.billing);
}
