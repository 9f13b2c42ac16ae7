export { startStripeSandbox } from './stripe/sandbox.js';
export { signPayload as signStripeWebhookPayload } from './stripe/webhooks.js';
export { TEST_CARDS as STRIPE_TEST_CARDS } from './stripe/test-cards.js';
export type {
  StripeSandbox,
  StripeSandboxOptions,
  OutageMode as StripeOutageMode,
  RequestLogEntry as StripeRequestLogEntry,
  SandboxKeys as StripeSandboxKeys,
  PaymentIntent as StripeSandboxPaymentIntent,
  Customer as StripeSandboxCustomer,
  StripeObject as StripeSandboxObject,
  WebhookAttempt as StripeWebhookAttempt,
  WebhookTarget as StripeWebhookTarget,
} from './stripe/types.js';
export type { CardOutcome as StripeCardOutcome } from './stripe/test-cards.js';
export { startHubSpotSandbox } from './hubspot/index.js';
export type {
  HubSpotSandbox,
  HubSpotSandboxOptions,
  CreateFormOptions as HubSpotCreateFormOptions,
  SandboxAssociation as HubSpotSandboxAssociation,
  SimplePublicObjectLike as HubSpotSimplePublicObject,
  OutageMode as HubSpotOutageMode,
  SandboxStats as HubSpotSandboxStats,
  RateLimitConfig as HubSpotRateLimit,
  FormSubmission as HubSpotFormSubmission,
  PropertyDefinition as HubSpotPropertyDefinition,
} from './hubspot/index.js';
export { startPayPalSandbox } from './paypal/sandbox.js';
export type {
  PayPalSandbox,
  PayPalSandboxOptions,
  PayPalWebhookTarget,
  PayPalWebhookAttempt,
  PayPalRequestLogEntry,
  PayPalResponseRecord,
  BuyerApproval as PayPalBuyerApproval,
} from './paypal/types.js';
export { startMailSandbox } from './mail/mail-sandbox.js';
export type { CapturedMail, MailSandbox } from './mail/mail-sandbox.js';
export { startChallengeSandbox } from './challenge/challenge-sandbox.js';
export type {
  ChallengeKeys,
  ChallengeProvider,
  ChallengeSandbox,
  Verification as ChallengeVerification,
} from './challenge/challenge-sandbox.js';
