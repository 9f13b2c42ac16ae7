import { randomBytes } from 'node:crypto';
import { authenticationFailure, invalidClient, invalidRequest } from './errors.js';
import type { PayPalState } from './state.js';

/**
 * Client credentials the fake accepts: its own pair, and any `<id>` / `<id>-secret` pair, so tests
 * can act as several PayPal apps (platform and merchants) without configuring the fake.
 */
export function acceptsCredentials(
  clientId: string,
  secret: string,
  own: { clientId: string; clientSecret: string },
) {
  if (clientId === '' || secret === '') return false;
  return (clientId === own.clientId && secret === own.clientSecret) || secret === `${clientId}-secret`;
}

/** `POST /v1/oauth2/token` with HTTP Basic client credentials and `grant_type=client_credentials`. */
export function issueToken(
  state: PayPalState,
  authorization: string | undefined,
  form: string,
  own: { clientId: string; clientSecret: string },
) {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  const [clientId = '', secret = ''] = basic
    ? Buffer.from(basic[1] as string, 'base64')
        .toString('utf8')
        .split(/:(.*)/s)
    : [];
  if (!acceptsCredentials(clientId, secret, own)) throw invalidClient();
  if (new URLSearchParams(form).get('grant_type') !== 'client_credentials') {
    throw invalidRequest({
      issue: 'INVALID_PARAMETER_VALUE',
      description: 'grant_type must be client_credentials',
    });
  }
  const token = `A21AA${randomBytes(40).toString('base64url')}`;
  state.tokens.set(token, { clientId, expiresAt: state.clock() + state.tokenTtlSeconds * 1000 });
  return {
    scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund',
    access_token: token,
    token_type: 'Bearer',
    app_id: `APP-${clientId.slice(0, 12).toUpperCase()}`,
    expires_in: state.tokenTtlSeconds,
    nonce: `${new Date(state.clock()).toISOString()}${randomBytes(8).toString('hex')}`,
  };
}

/** The client id behind a Bearer token; an unknown or expired token is refused with 401. */
export function authenticate(state: PayPalState, authorization: string | undefined): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const entry = bearer ? state.tokens.get(bearer[1] as string) : undefined;
  if (!entry || entry.expiresAt <= state.clock()) throw authenticationFailure();
  return entry.clientId;
}
