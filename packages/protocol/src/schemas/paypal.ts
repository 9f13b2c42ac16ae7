import { Type, type Static } from '@sinclair/typebox';
import { AttemptId, Currency, MinorAmount, Uuid } from './common.js';

/**
 * The browser's request for a PayPal order (the Buttons' `createOrder`). Like a card payment, the
 * price comes from the form, never from here; `amount` only chooses within a form's custom range.
 */
export const CreatePayPalOrderRequest = Type.Object(
  {
    tenantId: Uuid,
    formId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
    attemptId: AttemptId,
    amount: Type.Optional(MinorAmount),
    hutk: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9]*$' })),
    pageUri: Type.Optional(Type.String({ maxLength: 2048 })),
    challengeToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description: 'The CAPTCHA token, when the tenant asks for one (as on POST /v1/payments)',
      }),
    ),
  },
  { additionalProperties: false, $id: 'CreatePayPalOrderRequest' },
);
export type CreatePayPalOrderRequest = Static<typeof CreatePayPalOrderRequest>;

export const PayPalOrder = Type.Object(
  {
    orderId: Type.String({ description: "PayPal's order id, for the Buttons' createOrder" }),
    transactionId: Uuid,
    amount: MinorAmount,
    currency: Currency,
  },
  { $id: 'PayPalOrder' },
);
export type PayPalOrder = Static<typeof PayPalOrder>;

/** The Buttons' `onApprove`: capture the order this attempt created. */
export const CapturePayPalOrderRequest = Type.Object(
  { tenantId: Uuid, attemptId: AttemptId },
  { additionalProperties: false, $id: 'CapturePayPalOrderRequest' },
);
export type CapturePayPalOrderRequest = Static<typeof CapturePayPalOrderRequest>;

export const PayPalOrderParams = Type.Object({
  id: Type.String({ maxLength: 64, pattern: '^[A-Z0-9]+$', description: "PayPal's order id" }),
});
