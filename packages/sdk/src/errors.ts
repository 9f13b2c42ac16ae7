/** Stable codes: the relay's error codes plus the SDK's own (network, provider, config). */
export type OnePagePayErrorCode =
  | 'network_error'
  | 'form_not_configured'
  | 'provider_unavailable'
  | 'provider_load_failed'
  | 'validation_error'
  | (string & {});

/** The one error class of the SDK. Match on `name` (errors can cross realms), branch on `code`. */
export class OnePagePayError extends Error {
  override readonly name = 'OnePagePayError';
  readonly code: OnePagePayErrorCode;
  readonly status: number | undefined;
  readonly declineCode: string | undefined;

  constructor(
    code: OnePagePayErrorCode,
    message: string,
    options: { status?: number; declineCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.declineCode = options.declineCode;
  }
}

export function isOnePagePayError(value: unknown): value is OnePagePayError {
  return (value as { name?: unknown } | null)?.name === 'OnePagePayError';
}
