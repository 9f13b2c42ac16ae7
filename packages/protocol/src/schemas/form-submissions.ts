import { Type, type Static } from '@sinclair/typebox';
import { AttemptId, Uuid } from './common.js';

/**
 * The SDK's report that HubSpot's form submitted (onFormSubmitted / on-submission:success) after a
 * payment. The attempt id proves the caller is the payer's page; without this report the relay
 * submits the form itself after a delay.
 */
export const FormSubmittedRequest = Type.Object(
  {
    tenantId: Uuid,
    attemptId: AttemptId,
    hutk: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9]*$' })),
    /** The email the submission carried, as the page sent it to HubSpot (recorded beside the payment's). */
    email: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false, $id: 'FormSubmittedRequest' },
);
export type FormSubmittedRequest = Static<typeof FormSubmittedRequest>;

export const FormSubmittedResponse = Type.Object(
  {
    transactionId: Uuid,
    formSubmittedAt: Type.String({ format: 'date-time' }),
    formSubmittedBy: Type.Union([Type.Literal('browser'), Type.Literal('relay')]),
  },
  { $id: 'FormSubmittedResponse' },
);
export type FormSubmittedResponse = Static<typeof FormSubmittedResponse>;
