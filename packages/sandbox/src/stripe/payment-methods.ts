import type { CardDetails } from './card-details.js';
import { readCard } from './card-details.js';
import type { ApiContext, Handler } from './context.js';
import { invalidParam, missingParam, resourceMissing } from './errors.js';
import { mergeMetadata, readObject, rejectUnknownParams, requireString, type Params } from './form.js';
import { createId } from './ids.js';
import type { StripeObject } from './store.js';
import type { CardOutcome } from './test-cards.js';

/** Parameters Stripe.js adds to its calls; accepted and ignored. */
export const STRIPE_JS_PARAMS = [
  'payment_user_agent',
  'time_on_page',
  'guid',
  'muid',
  'sid',
  'referrer',
  'client_attribution_metadata',
  'expand',
];

const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

function readNullable(source: Params | undefined, name: string): string | null {
  const value = source?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function readBillingDetails(params: Params | undefined): Record<string, unknown> {
  const billing = params === undefined ? undefined : readObject(params, 'billing_details');
  const address = billing === undefined ? undefined : readObject(billing, 'address');
  return {
    address: Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, readNullable(address, field)])),
    email: readNullable(billing, 'email'),
    name: readNullable(billing, 'name'),
    phone: readNullable(billing, 'phone'),
    tax_id: null,
  };
}

/** The `card` hash of a payment method, from what the sandbox kept of the card. */
export function describeCard(details: CardDetails): Record<string, unknown> {
  return {
    brand: details.brand,
    checks: {
      address_line1_check: null,
      address_postal_code_check: null,
      cvc_check: details.cvcProvided ? 'pass' : null,
    },
    country: details.country,
    display_brand: details.brand,
    exp_month: details.exp_month,
    exp_year: details.exp_year,
    fingerprint: details.fingerprint,
    funding: details.funding,
    generated_from: null,
    last4: details.last4,
    networks: { available: [details.brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

/** Stores a card payment method (and what it will do on confirmation) in the request's scope. */
export function storeCardPaymentMethod(
  ctx: ApiContext,
  card: { details: CardDetails; outcome: CardOutcome },
  billing: Record<string, unknown>,
  metadata: Record<string, string> = {},
): StripeObject {
  const paymentMethod: StripeObject = {
    id: createId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: billing,
    card: describeCard(card.details),
    created: ctx.now(),
    customer: null,
    livemode: ctx.scope.livemode,
    metadata,
    type: 'card',
  };
  ctx.ledger.paymentMethods.set(paymentMethod.id, paymentMethod);
  ctx.ledger.cardOutcomes.set(paymentMethod.id, card.outcome);
  return paymentMethod;
}

/** Reads `type=card` payment method data (`card[number]`...) under `prefix`. */
export function readCardData(ctx: ApiContext, data: Params, prefix: string) {
  const type = data.type;
  if (type === undefined) throw missingParam(prefix === '' ? 'type' : `${prefix}[type]`);
  if (type !== 'card') {
    throw invalidParam(`The sandbox only supports card payment methods, not '${String(type)}'.`, 'type');
  }
  const card = readObject(data, 'card');
  const cardPrefix = prefix === '' ? 'card' : `${prefix}[card]`;
  if (card === undefined) throw missingParam(cardPrefix);
  return readCard(card, cardPrefix, ctx.nowDate());
}

export const createPaymentMethod: Handler = (ctx) => {
  const { params } = ctx;
  rejectUnknownParams(params, [
    'type',
    'card',
    'billing_details',
    'metadata',
    'allow_redisplay',
    ...STRIPE_JS_PARAMS,
  ]);
  const card = readCardData(ctx, params, '');
  return storeCardPaymentMethod(ctx, card, readBillingDetails(params), mergeMetadata({}, params));
};

export function findPaymentMethod(ctx: ApiContext, id: string, param = 'id'): StripeObject {
  const paymentMethod = ctx.ledger.paymentMethods.get(id);
  if (!paymentMethod) throw resourceMissing('PaymentMethod', id, param);
  return paymentMethod;
}

export const retrievePaymentMethod: Handler = (ctx, [id = '']) => findPaymentMethod(ctx, id);

export const attachPaymentMethod: Handler = (ctx, [id = '']) => {
  const paymentMethod = findPaymentMethod(ctx, id);
  const customer = requireString(ctx.params, 'customer');
  if (!ctx.ledger.customers.has(customer)) throw resourceMissing('customer', customer, 'customer');
  paymentMethod.customer = customer;
  return paymentMethod;
};

export const updatePaymentMethod: Handler = (ctx, [id = '']) => {
  const paymentMethod = findPaymentMethod(ctx, id);
  rejectUnknownParams(ctx.params, ['metadata', 'billing_details', 'expand']);
  paymentMethod.metadata = mergeMetadata(paymentMethod.metadata as Record<string, string>, ctx.params);
  if (ctx.params.billing_details !== undefined) {
    paymentMethod.billing_details = readBillingDetails(ctx.params);
  }
  return paymentMethod;
};
