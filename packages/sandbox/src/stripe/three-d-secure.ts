import { completePayment } from './confirm-payment.js';
import type { Handler } from './context.js';
import { docUrl, unexpectedState } from './errors.js';
import { readEnum } from './form.js';
import { checkClientSecret, findIntent, presentIntent } from './payment-intent-views.js';
import { findPaymentMethod } from './payment-methods.js';

/**
 * Sandbox-only: the fake Stripe.js completes (`result=succeed`) or fails (`result=fail`) the
 * 3-D Secure challenge of a PaymentIntent in `requires_action`.
 */
export const completeThreeDSecure: Handler = (ctx, [id = '']) => {
  const intent = findIntent(ctx, id);
  checkClientSecret(ctx, intent);
  const result = readEnum(ctx.params, 'result', ['succeed', 'fail'] as const, 'succeed');
  if (intent.status !== 'requires_action' || intent.payment_method === null) {
    throw unexpectedState(
      `This PaymentIntent has no pending 3-D Secure challenge: its status is ${intent.status}.`,
      presentIntent(ctx, intent),
    );
  }
  const paymentMethod = findPaymentMethod(ctx, intent.payment_method, 'payment_method');
  if (result === 'fail') {
    Object.assign(intent, {
      status: 'requires_payment_method',
      last_payment_error: {
        code: 'payment_intent_authentication_failure',
        doc_url: docUrl('payment_intent_authentication_failure'),
        message:
          'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        payment_method: structuredClone(paymentMethod),
        type: 'invalid_request_error',
      },
      payment_method: null,
      next_action: null,
    });
    ctx.emit('payment_intent.payment_failed', intent);
    return presentIntent(ctx, intent);
  }
  ctx.ledger.authenticated.add(intent.id);
  if (intent.confirmation_method === 'manual') {
    Object.assign(intent, { status: 'requires_confirmation', next_action: null });
  } else {
    completePayment(ctx, intent, paymentMethod);
  }
  return presentIntent(ctx, intent);
};
