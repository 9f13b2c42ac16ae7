import Router from '@koa/router';
import { Type } from '@sinclair/typebox';
import {
  buildOpenApiDocument,
  CapturePayPalOrderRequest,
  ConfirmPaymentRequest,
  CreatePayPalOrderRequest,
  CreatePaymentRequest,
  FormConfig,
  FormSubmittedRequest,
  FormSubmittedResponse,
  PaymentResult,
  PayPalOrder,
  PayPalOrderParams,
  StatusResponse,
  type RouteDoc,
} from '@onepagepay/protocol';

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'An error with a stable code' }]));

/** With REQUIRE_HTTPS=true every route, health checks included, refuses plain HTTP. */
const plainHttpRefused = { 403: { description: 'Plain HTTP to a relay with REQUIRE_HTTPS=true' } };

/** Every public route, described from the protocol package's schemas. Add new routes here. */
export const CORE_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/status',
    operationId: 'getStatus',
    summary: 'Upstream payment provider health (cached)',
    tags: ['public'],
    responses: { 200: { description: 'Health of each provider', schema: StatusResponse }, ...errors(429) },
  },
  {
    method: 'get',
    path: '/v1/forms/:tenantId/:formId',
    operationId: 'getFormConfig',
    summary: 'What the SDK needs to render the payment step of a HubSpot form',
    tags: ['public'],
    params: { tenantId: Type.String({ format: 'uuid' }), formId: Type.String() },
    responses: { 200: { description: 'Public form configuration', schema: FormConfig }, ...errors(404, 429) },
  },
  {
    method: 'post',
    path: '/v1/payments',
    operationId: 'createPayment',
    summary: 'Charge a form submission with the price the relay decides',
    tags: ['public'],
    body: CreatePaymentRequest,
    responses: {
      200: {
        description: 'succeeded, requires_action (with clientSecret) or processing',
        schema: PaymentResult,
      },
      ...errors(400, 402, 403, 404, 409, 413, 415, 429, 503),
      403: {
        description:
          'origin_not_allowed; or challenge_required / challenge_failed: render the CAPTCHA named in error.challenge and send its token as challengeToken',
      },
      429: {
        description:
          'rate_limited, or too_many_attempts (card-testing defence: attempts per IP, email or tenant, or declines); wait Retry-After seconds',
      },
    },
  },
  {
    method: 'post',
    path: '/v1/payments/:id/confirm',
    operationId: 'confirmPayment',
    summary: "Finish a payment after the browser handled Stripe's next action",
    tags: ['public'],
    params: { id: Type.String({ format: 'uuid' }) },
    body: ConfirmPaymentRequest,
    responses: {
      200: { description: 'The settled result', schema: PaymentResult },
      ...errors(400, 402, 404, 503),
    },
  },
  {
    method: 'post',
    path: '/v1/payments/:id/form-submitted',
    operationId: 'reportFormSubmitted',
    summary:
      "The SDK's report that HubSpot accepted the form after this payment (stops the server-side submission)",
    tags: ['public'],
    params: { id: Type.String({ format: 'uuid' }) },
    body: FormSubmittedRequest,
    responses: {
      200: { description: 'Recorded (or already recorded)', schema: FormSubmittedResponse },
      ...errors(400, 403, 404, 429),
    },
  },
  {
    method: 'post',
    path: '/v1/webhooks/stripe',
    operationId: 'receiveStripeWebhook',
    summary: 'Stripe webhook endpoint (signature-verified)',
    tags: ['webhooks'],
    auth: 'webhook_signature',
    responses: { 200: { description: 'Received' }, ...errors(400, 413) },
  },
  {
    method: 'post',
    path: '/v1/paypal/orders',
    operationId: 'createPayPalOrder',
    summary: "Create the PayPal order of a form submission (the Buttons' createOrder), at the form's price",
    tags: ['public'],
    body: CreatePayPalOrderRequest,
    responses: {
      200: { description: 'The order to hand to the PayPal Buttons', schema: PayPalOrder },
      ...errors(400, 403, 404, 409, 413, 415, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/v1/paypal/orders/:id/capture',
    operationId: 'capturePayPalOrder',
    summary: "Capture the order the payer approved (the Buttons' onApprove) and record the payment",
    tags: ['public'],
    params: PayPalOrderParams.properties,
    body: CapturePayPalOrderRequest,
    responses: {
      200: { description: 'succeeded, or processing while PayPal holds the capture', schema: PaymentResult },
      ...errors(400, 402, 403, 404, 409, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/v1/webhooks/paypal',
    operationId: 'receivePayPalWebhook',
    // Not Stripe's signature scheme: each event is checked with PayPal's verify-webhook-signature API.
    summary: "PayPal webhook endpoint (verified with PayPal's verify-webhook-signature API)",
    tags: ['webhooks'],
    responses: { 200: { description: 'Received' }, ...errors(400, 413, 503) },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'checkLiveness',
    summary: 'Liveness',
    tags: ['operations'],
    responses: { 200: { description: 'The process answers' }, ...plainHttpRefused },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'checkReadiness',
    summary: 'Readiness: database reachable and migrations current',
    tags: ['operations'],
    responses: { 200: { description: 'Ready' }, ...plainHttpRefused, ...errors(503) },
  },
];

export function openApiRoutes(routeDocs: RouteDoc[], version: string): Router {
  const document = buildOpenApiDocument({ title: 'OnePagePay relay', version }, routeDocs);
  const router = new Router();
  router.get('/v1/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
