import { randomBytes } from 'node:crypto';

export interface IssueDetail {
  issue: string;
  description: string;
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query';
}

/** An error answer in PayPal's shape: `name`, fixed `message`, `details[].issue`, `debug_id`, links. */
export class PayPalFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.name));
  }
}

const MESSAGES: Record<string, string> = {
  INVALID_REQUEST: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  AUTHENTICATION_FAILURE:
    'Authentication failed due to missing authorization header, or invalid authentication credentials.',
  RESOURCE_NOT_FOUND: 'The specified resource does not exist.',
  UNPROCESSABLE_ENTITY:
    'The requested action could not be performed, semantically incorrect, or failed business validation.',
  INTERNAL_SERVER_ERROR: 'An internal server error occurred.',
};

export function createDebugId(): string {
  return randomBytes(7).toString('hex').slice(0, 13);
}

function failure(status: number, name: string, details: IssueDetail[]): PayPalFailure {
  const issue = details[0]?.issue;
  return new PayPalFailure(status, {
    name,
    message: MESSAGES[name],
    ...(details.length > 0 ? { details } : {}),
    debug_id: createDebugId(),
    links: [
      {
        href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue ?? name}`,
        rel: 'information_link',
        method: 'GET',
      },
    ],
  });
}

export const invalidRequest = (...details: IssueDetail[]) => failure(400, 'INVALID_REQUEST', details);
export const unprocessable = (...details: IssueDetail[]) => failure(422, 'UNPROCESSABLE_ENTITY', details);
export const notFound = () =>
  failure(404, 'RESOURCE_NOT_FOUND', [
    {
      issue: 'INVALID_RESOURCE_ID',
      description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
      location: 'path',
    },
  ]);
export const authenticationFailure = () => failure(401, 'AUTHENTICATION_FAILURE', []);

/** The OAuth2 endpoint answers in RFC 6749's shape, not PayPal's REST error shape. */
export const invalidClient = () =>
  new PayPalFailure(401, { error: 'invalid_client', error_description: 'Client Authentication failed' });

/**
 * Issue descriptions differ between operations in PayPal's spec (e.g. MISSING_REQUIRED_PARAMETER on
 * create and on capture); these are the spec's texts for each operation that this fake answers.
 */
export const ISSUES = {
  create: {
    MISSING_REQUIRED_PARAMETER: 'A required parameter is missing.',
    INVALID_PARAMETER_VALUE: 'A parameter value is not valid.',
    MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
    DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
    INVALID_CURRENCY_CODE:
      'Currency code is invalid or is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.',
    PAYEE_ACCOUNT_INVALID:
      'Payee account specified is invalid. Please check the `payee.email_address` or `payee.merchant_id` specified and try again. Ensure that either  `payee.merchant_id` or `payee.email_address` is specified.',
  },
  capture: {
    MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
    INSTRUMENT_DECLINED:
      "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
    ORDER_ALREADY_CAPTURED:
      "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
    ORDER_NOT_APPROVED:
      "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request.",
  },
  // Payments v2 (refunds): not in the Orders spec; texts as PayPal's reference documents them.
  refund: {
    CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded.',
    REFUND_AMOUNT_EXCEEDED:
      'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
    REFUND_CAPTURE_CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture.',
    DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
  },
} as const;
