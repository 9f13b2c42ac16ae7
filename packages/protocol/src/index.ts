export { ERROR_CODES, ErrorBody, httpStatusOf, isErrorBody, type ErrorCode } from './errors.js';
export { HUBSPOT_EMAIL_PATTERN, isHubSpotEmail } from './hubspot-email.js';
export { isDeliverableHubSpotEmail } from './iana-email.js';
export {
  currencyExponent,
  formatMoney,
  toMajorUnitString,
  CURRENCY_PATTERN,
  MAX_MINOR_AMOUNT,
} from './money.js';
export { isCurrencyCode } from './currencies.js';
export {
  AttemptId,
  Currency,
  Email,
  MinorAmount,
  PersonName,
  Provider,
  Uuid,
  type ProviderName,
} from './schemas/common.js';
export { FormConfig, FormConfigParams } from './schemas/forms.js';
export {
  ConfirmPaymentRequest,
  CreatePaymentRequest,
  PaymentContact,
  PaymentIdParams,
  PaymentResult,
  PaymentStatus,
} from './schemas/payments.js';
export {
  CapturePayPalOrderRequest,
  CreatePayPalOrderRequest,
  PayPalOrder,
  PayPalOrderParams,
} from './schemas/paypal.js';
export { StatusResponse, UpstreamHealth } from './schemas/status.js';
export { validate, type ValidationIssue, type ValidationOutcome } from './validate.js';
export { buildOpenApiDocument, type RouteDoc } from './openapi.js';
export { HubSpotOAuthCallbackQuery, HubSpotSync } from './schemas/hubspot.js';
export { FormSubmittedRequest, FormSubmittedResponse } from './schemas/form-submissions.js';
export {
  ApiKey,
  ApiKeyList,
  ChangeRoleRequest,
  TeamMember,
  TeamMemberList,
  AcceptInvitationRequest,
  InviteTeamMemberRequest,
  TeamInvitation,
  TeamInvitationList,
  ApiKeyScope,
  ChangePasswordRequest,
  CreateApiKeyRequest,
  CreatedApiKey,
  LoginRequest,
  MerchantPassword,
  MerchantSession,
  ReauthenticateRequest,
  RecoveryCode,
  RecoveryCodes,
  SecondFactorRequest,
  SessionModeRequest,
  SignupAccepted,
  SignupRequest,
  SignupVerifyRequest,
  TotpCode,
  TotpConfirmRequest,
  TotpEnrolment,
} from './schemas/merchant-auth.js';
export {
  AuditEvent,
  AuditEventPage,
  ContactFilters,
  ContactPage,
  CreateRefundRequest,
  MerchantContact,
  MerchantContactWithTransactions,
  MerchantRefund,
  MerchantTransaction,
  TransactionFilters,
  TransactionPage,
  MerchantHubSpotStatus,
} from './schemas/merchant-api.js';
export {
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
} from './schemas/merchant-setup.js';
