import { Type, type Static } from '@sinclair/typebox';
import { CURRENCY_PATTERN, MAX_MINOR_AMOUNT } from '../money.js';
import { HUBSPOT_EMAIL_PATTERN } from '../hubspot-email.js';

/** A random UUID (v4) as the relay issues for tenants, forms and transactions. */
export const Uuid = Type.String({
  format: 'uuid',
  maxLength: 36,
  description: 'A UUID such as 0b9d7c2e-4a51-4d2b-9f7e-3f1c2d4e5a6b',
});

/** Idempotency handle chosen by the browser, one per submission, reused on retry. */
export const AttemptId = Type.String({
  pattern: '^[A-Za-z0-9_-]{16,64}$',
  description: 'Client-generated, 16-64 characters of [A-Za-z0-9_-]; reuse it to retry the same submission.',
});

export const Currency = Type.String({ pattern: CURRENCY_PATTERN, description: 'ISO 4217, upper case' });

export const MinorAmount = Type.Integer({
  minimum: 1,
  maximum: MAX_MINOR_AMOUNT,
  description: "Integer in the currency's minor unit (cents for USD, yen for JPY)",
});

/**
 * The payment providers' names, as forms, payment requests and transactions carry them: the one
 * list the schemas hold. The relay's registry (relay/src/payments/providers/index.ts) has exactly
 * these, which relay/src/payments/providers/provider-seam.test.ts holds it to.
 */
export const Provider = Type.Union([Type.Literal('stripe'), Type.Literal('paypal')]);
export type ProviderName = Static<typeof Provider>;

/** An address HubSpot would take: a payment is never made for an email its form then refuses. */
export const Email = Type.String({
  format: 'email',
  pattern: HUBSPOT_EMAIL_PATTERN,
  minLength: 3,
  maxLength: 254,
});

export const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^<>\\u0000-\\u001f]*$' });
