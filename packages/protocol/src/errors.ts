import { Type, type Static } from '@sinclair/typebox';

/**
 * Every error the relay answers with carries one of these stable codes. Clients branch on the code,
 * never on the message, so a code is never renamed or reused.
 */
export const ERROR_CODES = {
  invalid_request: 400,
  invalid_json: 400,
  /** The payer's email is one HubSpot's form would refuse; the message is HubSpot's own wording. */
  invalid_email: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  origin_not_allowed: 403,
  amount_out_of_range: 400,
  price_changed: 409,
  provider_not_enabled: 400,
  conflict: 409,
  attempt_conflict: 409,
  attempt_in_progress: 409,
  card_declined: 402,
  payment_failed: 402,
  payment_authentication_failed: 402,
  provider_unavailable: 503,
  database_unavailable: 503,
  /** Answered by the load balancer (deploy/haproxy) when no relay is ready. */
  relay_unavailable: 503,
  rate_limited: 429,
  webhook_signature_invalid: 400,
  internal_error: 500,
  mfa_required: 403,
  reauthentication_required: 403,
  csrf_failed: 403,
  password_rejected: 400,
  insufficient_scope: 403,
  refund_failed: 402,
  instrument_declined: 402,
  order_not_approved: 409,
  provider_payment_missing: 409,
  encryption_not_configured: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_CODES).map((code) => Type.Literal(code))),
      message: Type.String(),
      declineCode: Type.Optional(
        Type.String({ description: "The provider's decline code, e.g. insufficient_funds" }),
      ),
      requestId: Type.Optional(Type.String()),
      details: Type.Optional(
        Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { maxItems: 20 }),
      ),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}
