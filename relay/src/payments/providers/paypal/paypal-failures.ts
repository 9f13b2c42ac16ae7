import { ApiError } from '@paypal/paypal-server-sdk';
import { RelayError } from '../../../errors.js';

/** The first `details[].issue` of a PayPal error answer (`INSTRUMENT_DECLINED`, ...). */
export function issueOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const result = error.result as { details?: Array<{ issue?: unknown }> } | undefined;
  const issue = result?.details?.[0]?.issue;
  return typeof issue === 'string' ? issue : undefined;
}

/** No answer, or PayPal's own failure: the same PayPal-Request-Id may be retried safely. */
export function isUnansweredPayPalError(error: unknown): boolean {
  return !(error instanceof ApiError) || error.statusCode >= 500 || error.statusCode === 409;
}

export function providerUnavailable(): RelayError {
  return new RelayError('provider_unavailable', 'PayPal is not answering. Try again shortly.');
}

/** What the payer is told when PayPal refuses a capture. */
export function captureRefusal(error: unknown): RelayError {
  const issue = issueOf(error);
  if (issue === 'INSTRUMENT_DECLINED') {
    return new RelayError(
      'instrument_declined',
      'PayPal declined this way of paying. Choose another one in PayPal and try again.',
      { declineCode: issue },
    );
  }
  if (issue === 'ORDER_NOT_APPROVED') {
    return new RelayError('order_not_approved', 'The payer has not approved this PayPal order yet.');
  }
  if (isUnansweredPayPalError(error)) return providerUnavailable();
  return new RelayError('payment_failed', 'PayPal refused the payment.', issue ? { declineCode: issue } : {});
}

/**
 * A PayPal failure for the log: status, issue and PayPal's debug id. Never the error itself, whose
 * request carries the Authorization header with the access token.
 */
export function describePayPalError(error: unknown): Record<string, unknown> {
  if (!(error instanceof ApiError))
    return { message: error instanceof Error ? error.message : String(error) };
  const result = error.result as { debug_id?: unknown } | undefined;
  return { status: error.statusCode, issue: issueOf(error), debugId: result?.debug_id };
}
