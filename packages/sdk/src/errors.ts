/** Stable codes: the relay's error codes plus the SDK's own (network, provider, config). */
export type OnePagePayErrorCode =
  | 'network_error'
  | 'form_not_configured'
  | 'provider_unavailable'
  | 'provider_load_failed'
  | 'validation_error'
  | 'form_unreachable'
  | (string & {});

/** The one error class of the SDK. Match on `name` (errors can cross realms), branch on `code`. */
export class OnePagePayError extends Error {
  declare readonly name: 'OnePagePayError';
  declare readonly code: OnePagePayErrorCode;
  /** The relay's HTTP status, when the error came from the relay. */
  declare readonly status?: number;
  /** The card issuer's reason for a decline, e.g. insufficient_funds. */
  declare readonly declineCode?: string;
  /** Already shown to the payer beside its field, by the payment provider or HubSpot's form. */
  declare readonly shownBy?: 'provider' | 'form';

  constructor(
    code: OnePagePayErrorCode,
    message: string,
    options: { status?: number; declineCode?: string; shownBy?: 'provider' | 'form'; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    // Assigned, not declared as class fields, so the bundle needs no field helper.
    Object.assign(this, { name: 'OnePagePayError', code, ...options });
  }
}

export function isOnePagePayError(value: unknown): value is OnePagePayError {
  return (value as { name?: unknown } | null)?.name === 'OnePagePayError';
}
