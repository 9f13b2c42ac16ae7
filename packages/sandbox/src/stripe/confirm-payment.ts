import { randomUUID } from 'node:crypto';
import { recordCharge } from './charges.js';
import { redeemConfirmationToken } from './confirmation-tokens.js';
import type { ApiContext } from './context.js';
import { cardError, docUrl, unexpectedState } from './errors.js';
import { readObject, readString } from './form.js';
import { createId } from './ids.js';
import { presentIntent } from './payment-intent-views.js';
import {
  findPaymentMethod,
  readBillingDetails,
  readCardData,
  storeCardPaymentMethod,
} from './payment-methods.js';
import type { PaymentIntent, StripeObject } from './store.js';
import type { CardOutcome } from './test-cards.js';

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

function refuseConfirmation(ctx: ApiContext, intent: PaymentIntent): never {
  const message =
    intent.status === 'succeeded'
      ? 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.'
      : `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`;
  throw unexpectedState(message, presentIntent(ctx, intent));
}

function resolvePaymentMethod(ctx: ApiContext, intent: PaymentIntent): StripeObject {
  const { params } = ctx;
  const token = readString(params, 'confirmation_token');
  if (token !== undefined) return redeemConfirmationToken(ctx, token, intent.id);
  const data = readObject(params, 'payment_method_data');
  if (data !== undefined) {
    return storeCardPaymentMethod(
      ctx,
      readCardData(ctx, data, 'payment_method_data'),
      readBillingDetails(data),
    );
  }
  const id = readString(params, 'payment_method') ?? intent.payment_method;
  if (id === null) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      presentIntent(ctx, intent),
    );
  }
  return findPaymentMethod(ctx, id, 'payment_method');
}

/** Charges the card and moves the PaymentIntent to `succeeded`. */
export function completePayment(ctx: ApiContext, intent: PaymentIntent, paymentMethod: StripeObject): void {
  const authenticated = ctx.ledger.authenticated.has(intent.id);
  const charge = recordCharge(ctx, intent, paymentMethod, { authenticated });
  Object.assign(intent, {
    status: 'succeeded',
    amount_received: intent.amount,
    latest_charge: charge.id,
    last_payment_error: null,
    next_action: null,
  });
  ctx.emit('payment_intent.succeeded', intent);
}

export function failPayment(
  ctx: ApiContext,
  intent: PaymentIntent,
  paymentMethod: StripeObject,
  decline: Extract<CardOutcome, { kind: 'decline' }>,
): never {
  const charge = recordCharge(ctx, intent, paymentMethod, { decline, authenticated: false });
  const error = {
    charge: charge.id,
    code: decline.code,
    ...(decline.declineCode === undefined ? {} : { decline_code: decline.declineCode }),
    doc_url: docUrl(decline.code),
    message: decline.message,
    ...(decline.param === undefined ? {} : { param: decline.param }),
    payment_method: structuredClone(paymentMethod),
    type: 'card_error',
  };
  Object.assign(intent, {
    status: 'requires_payment_method',
    last_payment_error: error,
    latest_charge: charge.id,
    payment_method: null,
    next_action: null,
  });
  ctx.ledger.authenticated.delete(intent.id);
  ctx.emit('payment_intent.payment_failed', intent);
  const { type: _type, doc_url: _docUrl, ...details } = error;
  throw cardError({ ...details, payment_intent: presentIntent(ctx, intent) });
}

function requireAction(ctx: ApiContext, intent: PaymentIntent, paymentMethod: StripeObject): void {
  const card = paymentMethod.card as { brand: string };
  Object.assign(intent, {
    status: 'requires_action',
    next_action: {
      type: 'use_stripe_sdk',
      // The 3-D Secure 2 shape Stripe sends for its 3155 test card; the challenge itself is
      // answered through the sandbox-only endpoint named below.
      use_stripe_sdk: {
        type: 'stripe_3ds2_fingerprint',
        directory_server_name: card.brand,
        merchant: ctx.scope.account ?? ctx.world.platformAccountId,
        one_click_authn: null,
        server_transaction_id: randomUUID(),
        three_d_secure_2_source: createId('payatt'),
        three_ds_method_url: '',
        three_ds_optimizations: 'k',
        sandbox_challenge_url: `${ctx.baseUrl}/v1/payment_intents/${intent.id}/sandbox_3ds`,
      },
    },
  });
  ctx.emit('payment_intent.requires_action', intent);
}

/** Confirms a PaymentIntent with the payment method, token or card data in the request. */
export function confirmIntent(ctx: ApiContext, intent: PaymentIntent): void {
  if (!CONFIRMABLE.includes(intent.status)) refuseConfirmation(ctx, intent);
  const paymentMethod = resolvePaymentMethod(ctx, intent);
  if (paymentMethod.id !== intent.payment_method) ctx.ledger.authenticated.delete(intent.id);
  for (const field of ['return_url', 'receipt_email', 'setup_future_usage'] as const) {
    const value = readString(ctx.params, field);
    if (value !== undefined) intent[field] = value;
  }
  Object.assign(intent, { payment_method: paymentMethod.id, last_payment_error: null });
  const outcome = ctx.ledger.cardOutcomes.get(paymentMethod.id) ?? { kind: 'succeed' };
  if (outcome.kind === 'decline') failPayment(ctx, intent, paymentMethod, outcome);
  if (outcome.kind === 'async') {
    Object.assign(intent, { status: 'processing', processing: { type: 'card', card: null } });
    ctx.ledger.asyncPayments.set(intent.id, outcome.result);
    ctx.emit('payment_intent.processing', intent);
    return;
  }
  if (outcome.kind === 'authenticate' && !ctx.ledger.authenticated.has(intent.id)) {
    requireAction(ctx, intent, paymentMethod);
    return;
  }
  completePayment(ctx, intent, paymentMethod);
}
