import { Type } from '@sinclair/typebox';
import { RevenueDays } from '../../merchants/revenue.js';
import {
  AllowedOrigins,
  CdnScript,
  ChallengeSettings,
  CreateFormRequest,
  HubSpotConnectionStatus,
  HubSpotConnectLink,
  MerchantForm,
  MerchantFormList,
  StripeConnectionStatus,
  UpdateChallengeRequest,
  UpdateFormRequest,
  type RouteDoc,
} from '@onepagepay/protocol';

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'An error with a stable code' }]));
const session: Pick<RouteDoc, 'tags' | 'auth'> = { tags: ['merchant setup'], auth: 'session' };
const csrf = ' (X-CSRF-Token and Origin required)';

/** The self-service setup routes in /v1/openapi.json. */
export const SETUP_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/merchant/forms',
    operationId: 'listForms',
    summary: "The session mode's forms, newest first (owners and members)",
    ...session,
    responses: { 200: { description: 'Forms', schema: MerchantFormList }, ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/v1/merchant/forms',
    operationId: 'createForm',
    summary: `Configure payment for a HubSpot form in the session's mode (owners)${csrf}`,
    ...session,
    body: CreateFormRequest,
    responses: { 201: { description: 'The form', schema: MerchantForm }, ...errors(400, 401, 403, 409) },
  },
  {
    method: 'post',
    path: '/v1/merchant/forms/:id',
    operationId: 'updateForm',
    summary: `Change a form's price, currency, providers, name or enabled flag (owners)${csrf}`,
    ...session,
    params: { id: Type.String({ format: 'uuid' }) },
    body: UpdateFormRequest,
    responses: { 200: { description: 'The form', schema: MerchantForm }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get',
    path: '/v1/merchant/cdn-script',
    operationId: 'getCdnScript',
    summary:
      'The versioned CDN script a form\'s snippet loads and its SRI hash (put both on the tag, with crossorigin="anonymous")',
    ...session,
    responses: { 200: { description: 'The script', schema: CdnScript }, ...errors(401, 403) },
  },
  {
    method: 'get',
    path: '/v1/merchant/allowed-origins',
    operationId: 'getAllowedOrigins',
    summary: 'The origins whose pages may take payments for this tenant (both modes)',
    ...session,
    responses: { 200: { description: 'Origins', schema: AllowedOrigins }, ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/v1/merchant/allowed-origins',
    operationId: 'setAllowedOrigins',
    summary: `Replace the allowed origins (owners; password entered in the last 5 minutes)${csrf}`,
    ...session,
    body: AllowedOrigins,
    responses: { 200: { description: 'The saved list', schema: AllowedOrigins }, ...errors(400, 401, 403) },
  },
  {
    method: 'get',
    path: '/v1/merchant/challenge',
    operationId: 'getChallenge',
    summary: "The tenant's CAPTCHA policy and widget (both modes); the secret key is never shown",
    ...session,
    responses: { 200: { description: 'CAPTCHA settings', schema: ChallengeSettings }, ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/v1/merchant/challenge',
    operationId: 'setChallenge',
    summary: `Set the CAPTCHA policy and, with \`keys\`, the tenant's own Turnstile or hCaptcha keys (owners; password entered in the last 5 minutes)${csrf}`,
    ...session,
    body: UpdateChallengeRequest,
    responses: {
      200: { description: 'The saved settings', schema: ChallengeSettings },
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/hubspot',
    operationId: 'getHubSpotConnection',
    summary:
      "Deprecated: use GET /v1/hubspot, which answers the same and more (time zone, currencies, each form's missing fields) to API keys too. The HubSpot portal connected for the session's mode and its sync counts; answers with Deprecation and Link (successor-version) headers",
    deprecated: true,
    ...session,
    responses: {
      200: { description: 'Connection status', schema: HubSpotConnectionStatus },
      ...errors(401, 403),
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/stripe',
    operationId: 'getStripeConnection',
    summary:
      'Whether card payments reach Stripe: `disconnected` when the connected account disconnected OnePagePay in Stripe (owners and members)',
    ...session,
    responses: {
      200: { description: 'Stripe status', schema: StripeConnectionStatus },
      ...errors(401, 403),
    },
  },
  {
    method: 'post',
    path: '/v1/merchant/hubspot/connect',
    operationId: 'startHubSpotConnect',
    summary: `An install link for the session's tenant and mode, to open in this browser (owners)${csrf}`,
    ...session,
    responses: {
      200: { description: 'The link', schema: HubSpotConnectLink },
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'post',
    path: '/v1/merchant/transactions/:id/hubspot-replay',
    operationId: 'replayTransactionSync',
    summary: `Queue a transaction's failed (dead-letter) HubSpot sync again (owners)${csrf}`,
    ...session,
    params: { id: Type.String({ format: 'uuid' }) },
    responses: {
      200: {
        description: 'Jobs queued again',
        schema: Type.Object({ requeued: Type.Integer({ minimum: 1 }) }),
      },
      ...errors(401, 403, 404, 409),
    },
  },
  {
    method: 'get',
    path: '/v1/merchant/revenue',
    operationId: 'getRevenueByDay',
    summary: 'Net revenue (paid minus refunded) per UTC day and currency (scope transactions:read)',
    tags: ['merchant data'],
    auth: 'api_key_or_session',
    query: { days: Type.String({ pattern: '^[0-9]{1,3}$', description: '1-366, default 30' }) },
    responses: { 200: { description: 'Days with revenue', schema: RevenueDays }, ...errors(400, 401, 403) },
  },
];
