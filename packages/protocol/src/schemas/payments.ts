import { Type, type Static } from '@sinclair/typebox';
import { AttemptId, Currency, Email, MinorAmount, PersonName, Uuid } from './common.js';

export const PaymentContact = Type.Object(
  { email: Email, firstName: PersonName, lastName: PersonName },
  { additionalProperties: false },
);
export type PaymentContact = Static<typeof PaymentContact>;

const StripePaymentSource = Type.Union([
  Type.Object(
    { paymentMethodId: Type.String({ pattern: '^pm_[A-Za-z0-9_]{1,250}$' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { confirmationTokenId: Type.String({ pattern: '^ctoken_[A-Za-z0-9_]{1,250}$' }) },
    { additionalProperties: false },
  ),
]);

/** The browser's request to pay for one form submission. The price is never taken from here. */
export const CreatePaymentRequest = Type.Object(
  {
    tenantId: Uuid,
    formId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
    attemptId: AttemptId,
    contact: PaymentContact,
    provider: Type.Literal('stripe'),
    stripe: StripePaymentSource,
    amount: Type.Optional(MinorAmount),
    hutk: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9]*$' })),
    pageUri: Type.Optional(Type.String({ maxLength: 2048 })),
    challengeToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description:
          'The CAPTCHA token, after a challenge_required answer (Turnstile tokens are at most 2048 characters)',
      }),
    ),
  },
  { additionalProperties: false, $id: 'CreatePaymentRequest' },
);
export type CreatePaymentRequest = Static<typeof CreatePaymentRequest>;

export const ConfirmPaymentRequest = Type.Object(
  { tenantId: Uuid, attemptId: AttemptId },
  { additionalProperties: false, $id: 'ConfirmPaymentRequest' },
);
export type ConfirmPaymentRequest = Static<typeof ConfirmPaymentRequest>;

export const PaymentStatus = Type.Union([
  Type.Literal('processing'),
  Type.Literal('requires_action'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('refunded'),
  Type.Literal('partially_refunded'),
  Type.Literal('disputed'),
]);
export type PaymentStatus = Static<typeof PaymentStatus>;

export const PaymentResult = Type.Object(
  {
    transactionId: Uuid,
    status: PaymentStatus,
    amount: MinorAmount,
    currency: Currency,
    clientSecret: Type.Optional(
      Type.String({ description: 'Present with requires_action: hand it to Stripe.js handleNextAction' }),
    ),
    failure: Type.Optional(
      Type.Object({
        code: Type.String(),
        declineCode: Type.Optional(Type.String()),
        message: Type.String(),
      }),
    ),
  },
  { $id: 'PaymentResult' },
);
export type PaymentResult = Static<typeof PaymentResult>;

export const PaymentIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
