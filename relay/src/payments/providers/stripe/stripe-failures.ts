import Stripe from 'stripe';
import type { StatusChange } from '../../transaction-store.js';

/** Errors after which Stripe may or may not have acted: the attempt stays open for a safe retry. */
export function isUnansweredStripeError(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError ||
    (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500) ||
    !(error instanceof Stripe.errors.StripeError)
  );
}

/** A definite refusal by Stripe, recorded on the transaction with the codes Stripe gave. */
export function chargeFailure(error: Stripe.errors.StripeError): StatusChange & { status: 'failed' } {
  const intent = (error.raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent;
  return {
    status: 'failed',
    providerPaymentId: intent?.id ?? null,
    failureCode: error.code ?? error.type,
    declineCode: error.decline_code ?? null,
    failureMessage:
      error instanceof Stripe.errors.StripeCardError ? error.message : 'The payment could not be made.',
  };
}
