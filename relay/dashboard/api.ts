/** The dashboard's only way to the relay: the public merchant API, cookie session plus CSRF token. */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrfToken = '';

export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

export async function api<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    ...(method !== 'GET' ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const parsed = (await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string };
    csrfToken?: string;
  };
  if (!response.ok) {
    throw new ApiError(
      parsed.error?.code ?? 'internal_error',
      parsed.error?.message ?? `The relay answered ${response.status}.`,
      response.status,
    );
  }
  // Sign-in, mode switches and 2FA changes rotate the session and its CSRF token.
  if (typeof parsed.csrfToken === 'string') csrfToken = parsed.csrfToken;
  return parsed as T;
}

/** The relay's message for a refused request, or a plain one when the relay was not reached. */
export const errorText = (caught: unknown): string =>
  caught instanceof ApiError ? caught.message : 'The relay could not be reached.';

/** How many decimals the currency's minor unit has (JPY 0, USD 2, KWD 3). */
export const decimalsOf = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** Formats minor units for people, in the currency's own decimals (JPY 0, KWD 3). */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
    amount / 10 ** decimalsOf(currency),
  );
}
