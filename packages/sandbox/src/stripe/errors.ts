/** The `error` object of a Stripe error response, as the API words it. */
export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  request_log_url?: string;
}

/**
 * A failed API call, thrown by handlers and turned into `{ error }` with `status` by the server.
 * `saved` is false for failures Stripe does not store under an idempotency key (validation errors).
 */
export class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorBody,
    readonly saved = true,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
    this.name = 'StripeFailure';
  }
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

interface InvalidRequestDetails {
  code?: string;
  param?: string;
  status?: number;
  saved?: boolean;
}

export function invalidRequest(message: string, details: InvalidRequestDetails = {}): StripeFailure {
  const { code, param, status = 400, saved = true } = details;
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (code !== undefined) Object.assign(body, { code, doc_url: docUrl(code) });
  if (param !== undefined) body.param = param;
  return new StripeFailure(status, body, saved);
}

/** A bad parameter: Stripe saves nothing under the idempotency key for these. */
export function invalidParam(message: string, param: string, code?: string): StripeFailure {
  return invalidRequest(message, { param, code, saved: false });
}

export function missingParam(param: string): StripeFailure {
  return invalidParam(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function resourceMissing(kind: string, id: string, param = 'id'): StripeFailure {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: 404 });
}

export function unexpectedState(message: string, paymentIntent: unknown): StripeFailure {
  const failure = invalidRequest(message, { code: 'payment_intent_unexpected_state' });
  failure.error.payment_intent = paymentIntent;
  return failure;
}

export function unrecognizedUrl(method: string, path: string): StripeFailure {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { status: 404, saved: false },
  );
}

export function apiError(): StripeFailure {
  return new StripeFailure(500, { type: 'api_error', message: 'An unknown error occurred' }, false);
}

export function rateLimited(): StripeFailure {
  return invalidRequest(
    'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    { code: 'rate_limit', status: 429, saved: false },
  );
}

export function cardError(body: Omit<StripeErrorBody, 'type' | 'doc_url'> & { code: string }): StripeFailure {
  return new StripeFailure(402, { ...body, type: 'card_error', doc_url: docUrl(body.code) });
}
