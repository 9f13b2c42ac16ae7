import { Type } from '@sinclair/typebox';
import {
  ApiKey,
  ApiKeyList,
  AuditEventPage,
  ChangePasswordRequest,
  ContactFilters,
  ContactPage,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreateRefundRequest,
  LoginRequest,
  MerchantContactWithTransactions,
  MerchantRefund,
  MerchantSession,
  MerchantTransaction,
  ReauthenticateRequest,
  RecoveryCodes,
  SecondFactorRequest,
  SessionModeRequest,
  SignupAccepted,
  SignupRequest,
  SignupVerifyRequest,
  TotpConfirmRequest,
  TotpEnrolment,
  TransactionFilters,
  TransactionPage,
  type RouteDoc,
} from '@onepagepay/protocol';

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'An error with a stable code' }]));
const id = { id: Type.String({ format: 'uuid' }) };
const { limit: _limit, cursor: _cursor, ...csvFilters } = TransactionFilters;
const sessionPost = (
  path: string,
  summary: string,
  body: RouteDoc['body'],
  response: RouteDoc['responses'][number],
) =>
  ({
    method: 'post',
    path: `/v1/merchant${path}`,
    summary: `${summary} (session; X-CSRF-Token and Origin required)`,
    tags: ['merchant account'],
    auth: 'session',
    ...(body ? { body } : {}),
    responses: { 200: response, ...errors(400, 401, 403, 429) },
  }) satisfies RouteDoc;

/** The merchant API in /v1/openapi.json, from the protocol package's schemas. */
export const MERCHANT_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/merchant/signup',
    summary:
      'Ask for an account: the same 202 whether or not the email is registered; a verification link is mailed. Limited per IP',
    tags: ['merchant account'],
    auth: 'none',
    body: SignupRequest,
    responses: {
      202: { description: 'Mail sent (to a new or a registered address alike)', schema: SignupAccepted },
      ...errors(400, 403, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/v1/merchant/signup/verify',
    summary: 'Create the tenant and its owner from the mailed token (once, within 1 hour) and sign in',
    tags: ['merchant account'],
    auth: 'none',
    body: SignupVerifyRequest,
    responses: {
      201: { description: 'Signed in; Set-Cookie opp_session', schema: MerchantSession },
      ...errors(400, 403, 404, 409),
    },
  },
  {
    method: 'post',
    path: '/v1/merchant/login',
    summary: 'Sign in with email, password and (with 2FA on) a TOTP or recovery code; throttled',
    tags: ['merchant account'],
    auth: 'none',
    body: LoginRequest,
    responses: {
      200: { description: 'Signed in; Set-Cookie opp_session', schema: MerchantSession },
      ...errors(400, 401, 403, 429),
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/session',
    summary: 'The current session, with its CSRF token',
    tags: ['merchant account'],
    auth: 'session',
    responses: { 200: { description: 'Session', schema: MerchantSession }, ...errors(401) },
  },
  sessionPost('/logout', 'End this session', undefined, { description: 'No content' }),
  sessionPost('/logout-everywhere', 'End every session of this user', undefined, {
    description: 'No content',
  }),
  sessionPost(
    '/reauthenticate',
    'Confirm the password (and TOTP) before a sensitive change; valid 5 minutes',
    ReauthenticateRequest,
    {
      description: 'Session',
      schema: MerchantSession,
    },
  ),
  sessionPost(
    '/mode',
    'Switch the session between test and live data (live needs 2FA); rotates the token',
    SessionModeRequest,
    {
      description: 'Session',
      schema: MerchantSession,
    },
  ),
  sessionPost('/password', 'Change the password; ends every other session', ChangePasswordRequest, {
    description: 'Session',
    schema: MerchantSession,
  }),
  sessionPost(
    '/two-factor/setup',
    'Start TOTP enrolment (after re-authentication; 409 while 2FA is on; 503 without ONEPAGEPAY_ENCRYPTION_KEYS)',
    undefined,
    {
      description: 'Secret, otpauth URI and QR code',
      schema: TotpEnrolment,
    },
  ),
  sessionPost(
    '/two-factor/confirm',
    'Confirm TOTP enrolment; returns 10 recovery codes once and rotates the token',
    TotpConfirmRequest,
    {
      description: 'Session and recovery codes',
      schema: MerchantSession,
    },
  ),
  sessionPost(
    '/two-factor/disable',
    'Turn 2FA off (after re-authentication, with a current TOTP or recovery code); ends every session',
    SecondFactorRequest,
    {
      description: 'Session',
      schema: MerchantSession,
    },
  ),
  sessionPost(
    '/two-factor/recovery-codes',
    'Replace the recovery codes (after re-authentication, with a current TOTP or recovery code)',
    SecondFactorRequest,
    {
      description: 'New codes, shown once',
      schema: RecoveryCodes,
    },
  ),
  {
    method: 'get',
    path: '/v1/merchant/api-keys',
    summary: "API keys of the session's mode (never their secrets)",
    tags: ['merchant account'],
    auth: 'session',
    responses: { 200: { description: 'Keys', schema: ApiKeyList }, ...errors(401) },
  },
  sessionPost(
    '/api-keys',
    "Create an API key for the session's mode; the secret is shown once",
    CreateApiKeyRequest,
    {
      description: 'The key with its secret',
      schema: CreatedApiKey,
    },
  ),
  {
    ...sessionPost('/api-keys/:id/revoke', 'Revoke an API key', undefined, {
      description: 'The revoked key',
      schema: ApiKey,
    }),
    params: id,
  },
  {
    method: 'get',
    path: '/v1/transactions',
    summary:
      'Transactions, newest first, keyset-paginated (scope transactions:read); mode from the key or session',
    tags: ['merchant data'],
    auth: 'api_key',
    query: TransactionFilters,
    responses: { 200: { description: 'A page', schema: TransactionPage }, ...errors(400, 401, 403) },
  },
  {
    method: 'get',
    path: '/v1/transactions.csv',
    summary: 'All transactions matching the filters as a streamed CSV export (scope transactions:read)',
    tags: ['merchant data'],
    auth: 'api_key',
    query: csvFilters,
    responses: {
      200: { description: 'CSV with a header row', schema: Type.String(), contentType: 'text/csv' },
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'get',
    path: '/v1/transactions/:id',
    summary: 'One transaction (404 for any id not of this tenant and mode)',
    tags: ['merchant data'],
    auth: 'api_key',
    params: id,
    responses: { 200: { description: 'Transaction', schema: MerchantTransaction }, ...errors(401, 403, 404) },
  },
  {
    method: 'post',
    path: '/v1/transactions/:id/refunds',
    summary: 'Refund all or part of a transaction (scope refunds:write); send an Idempotency-Key header',
    tags: ['merchant data'],
    auth: 'api_key',
    params: id,
    body: CreateRefundRequest,
    responses: {
      200: { description: 'The refund', schema: MerchantRefund },
      ...errors(400, 401, 402, 403, 404, 409, 503),
    },
  },
  {
    method: 'get',
    path: '/v1/contacts',
    summary: 'Contacts, newest first, keyset-paginated (scope contacts:read)',
    tags: ['merchant data'],
    auth: 'api_key',
    query: ContactFilters,
    responses: { 200: { description: 'A page', schema: ContactPage }, ...errors(400, 401, 403) },
  },
  {
    method: 'get',
    path: '/v1/contacts/:id',
    summary: 'One contact with its latest 100 transactions (scope contacts:read)',
    tags: ['merchant data'],
    auth: 'api_key',
    params: id,
    responses: {
      200: { description: 'Contact', schema: MerchantContactWithTransactions },
      ...errors(401, 403, 404),
    },
  },
  {
    method: 'get',
    path: '/v1/audit-events',
    summary: "The tenant's audit log: logins, 2FA changes, keys, refunds, exports (session only)",
    tags: ['merchant data'],
    auth: 'session',
    query: { limit: TransactionFilters.limit, cursor: TransactionFilters.cursor },
    responses: { 200: { description: 'A page', schema: AuditEventPage }, ...errors(400, 401, 403) },
  },
];
