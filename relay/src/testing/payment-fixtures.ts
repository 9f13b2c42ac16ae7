import type { Knex } from 'knex';
import { createForm, type NewForm } from '../tenants/create-form.js';
import { createTenant } from '../tenants/create-tenant.js';

export const PAGE_ORIGIN = 'https://shop.example.com';

/** A tenant that allows PAGE_ORIGIN and one $49.00 test-mode form, unless told otherwise. */
export async function seedTenantWithForm(
  knex: Knex,
  options: {
    stripeAccountId?: string;
    paypalMerchantId?: string;
    form?: Partial<Omit<NewForm, 'tenantId'>>;
    name?: string;
  } = {},
) {
  const tenant = await createTenant(knex, {
    name: options.name ?? 'Acme Workshops',
    origins: [PAGE_ORIGIN],
    stripeAccountId: options.stripeAccountId ?? null,
    paypalMerchantId: options.paypalMerchantId ?? null,
  });
  const form = await createForm(knex, {
    tenantId: tenant.id,
    hubspotFormGuid: crypto.randomUUID(),
    productName: 'Workshop ticket',
    currency: 'USD',
    amount: 4900,
    ...options.form,
  });
  return { tenant, form };
}

/** What Stripe.js does with the card fields: a PaymentMethod made with the publishable key. */
export async function createCardPaymentMethod(
  stripeUrl: string,
  publishableKey: string,
  number: string,
  stripeAccount?: string | null,
): Promise<string> {
  const body = new URLSearchParams({
    type: 'card',
    'card[number]': number,
    'card[exp_month]': '12',
    'card[exp_year]': String(new Date().getFullYear() + 3),
    'card[cvc]': '123',
  });
  const response = await fetch(`${stripeUrl}/v1/payment_methods`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${publishableKey}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...(stripeAccount ? { 'stripe-account': stripeAccount } : {}),
    },
    body,
  });
  const json = (await response.json()) as { id?: string; error?: unknown };
  if (!json.id) throw new Error(`payment method failed: ${JSON.stringify(json.error)}`);
  return json.id;
}

/** Completes (or fails) the 3-D Secure challenge as the fake Stripe.js does in the browser. */
export async function answerThreeDSecure(
  stripeUrl: string,
  publishableKey: string,
  clientSecret: string,
  result: 'succeed' | 'fail',
  stripeAccount?: string | null,
): Promise<void> {
  const intentId = clientSecret.split('_secret_')[0];
  const response = await fetch(`${stripeUrl}/v1/payment_intents/${intentId}/sandbox_3ds`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${publishableKey}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...(stripeAccount ? { 'stripe-account': stripeAccount } : {}),
    },
    body: new URLSearchParams({ client_secret: clientSecret, result }),
  });
  if (!response.ok) throw new Error(`3-D Secure answer failed: ${response.status} ${await response.text()}`);
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function postJson<T = Record<string, unknown>>(
  url: string,
  body: unknown,
  headers: Record<string, string> = { origin: PAGE_ORIGIN },
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

export function paymentRequest(
  tenantId: string,
  formId: string,
  paymentMethodId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    tenantId,
    formId,
    attemptId: `att_${crypto.randomUUID().replaceAll('-', '')}`,
    contact: { email: 'Ada.Lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    provider: 'stripe',
    stripe: { paymentMethodId },
    ...overrides,
  };
}
