import { confirmIntent } from './confirm-payment.js';
import type { Handler } from './context.js';
import { findCustomer } from './customers.js';
import { checkAmount, readCurrency } from './currencies.js';
import { invalidParam, unexpectedState } from './errors.js';
import {
  mergeMetadata,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readLimitedString,
  readString,
  rejectUnknownParams,
  requireString,
} from './form.js';
import { createClientSecret, createId } from './ids.js';
import { filterByCreated, listPage } from './lists.js';
import { checkClientSecret, findIntent, presentIntent } from './payment-intent-views.js';
import { findPaymentMethod, STRIPE_JS_PARAMS } from './payment-methods.js';
import { frozenPart } from './snapshot.js';
import type { PaymentIntent } from './store.js';

/** `description`'s `maxLength` in Stripe's OpenAPI spec for PaymentIntents (create and update). */
const MAX_DESCRIPTION_LENGTH = 1000;

const CREATE_PARAMS = [
  'amount',
  'currency',
  'customer',
  'payment_method',
  'confirmation_token',
  'confirm',
  'metadata',
  'automatic_payment_methods',
  'payment_method_types',
  'return_url',
  'description',
  'receipt_email',
  'confirmation_method',
  'capture_method',
  'setup_future_usage',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'shipping',
  'expand',
  'use_stripe_sdk',
  'payment_method_options',
];
const CONFIRM_PARAMS = [
  'payment_method',
  'confirmation_token',
  'payment_method_data',
  'return_url',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'use_stripe_sdk',
  'client_secret',
  'payment_method_options',
  'mandate_data',
  ...STRIPE_JS_PARAMS,
];
const UPDATABLE_STATUSES = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const NO_TIP = frozenPart({ tip: {} });
const CARD_OPTIONS = frozenPart({
  card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
});
const CARD_ONLY = frozenPart(['card']);

export const createPaymentIntent: Handler = (ctx) => {
  const { params } = ctx;
  rejectUnknownParams(params, CREATE_PARAMS);
  const amount = readInteger(params, 'amount');
  if (amount === undefined)
    throw invalidParam('Missing required param: amount.', 'amount', 'parameter_missing');
  const currency = readCurrency(requireString(params, 'currency'));
  checkAmount(amount, currency);
  const customer = readString(params, 'customer');
  if (customer !== undefined) findCustomer(ctx, customer, 'customer');
  const paymentMethod = readString(params, 'payment_method');
  if (paymentMethod !== undefined) findPaymentMethod(ctx, paymentMethod, 'payment_method');
  const types = params.payment_method_types;
  if (types !== undefined && !(Array.isArray(types) && types.every((type) => type === 'card'))) {
    throw invalidParam('The sandbox only supports the card payment method type.', 'payment_method_types');
  }
  // Manual capture needs a capture endpoint the relay does not use; refusing beats faking it wrongly.
  readEnum(ctx.params, 'capture_method', ['automatic', 'automatic_async'] as const, 'automatic_async');
  const automatic = readObject(params, 'automatic_payment_methods');
  const id = createId('pi');
  const intent: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_details: NO_TIP,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods:
      automatic?.enabled === 'true'
        ? { allow_redirects: automatic.allow_redirects ?? 'always', enabled: true }
        : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: readString(params, 'capture_method') ?? 'automatic_async',
    client_secret: createClientSecret(id),
    confirmation_method: readEnum(
      params,
      'confirmation_method',
      ['automatic', 'manual'] as const,
      'automatic',
    ),
    created: ctx.now(),
    currency,
    customer: customer ?? null,
    description: readLimitedString(params, 'description', MAX_DESCRIPTION_LENGTH) ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, params),
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod ?? null,
    payment_method_configuration_details: null,
    payment_method_options: CARD_OPTIONS,
    payment_method_types: CARD_ONLY,
    processing: null,
    receipt_email: readString(params, 'receipt_email') ?? null,
    review: null,
    setup_future_usage: readString(params, 'setup_future_usage') ?? null,
    shipping: readObject(params, 'shipping') ?? null,
    source: null,
    statement_descriptor: readString(params, 'statement_descriptor') ?? null,
    statement_descriptor_suffix: readString(params, 'statement_descriptor_suffix') ?? null,
    status: paymentMethod === undefined ? 'requires_payment_method' : 'requires_confirmation',
    transfer_data: null,
    transfer_group: null,
  };
  ctx.ledger.paymentIntents.set(id, intent);
  ctx.ledger.paymentIntentsByCustomer.add(intent, intent.customer);
  ctx.emit('payment_intent.created', intent);
  if (readBoolean(params, 'confirm') === true) confirmIntent(ctx, intent);
  return intent;
};

export const retrievePaymentIntent: Handler = (ctx, [id = '']) => {
  const intent = findIntent(ctx, id);
  checkClientSecret(ctx, intent);
  return presentIntent(ctx, intent);
};

export const confirmPaymentIntent: Handler = (ctx, [id = '']) => {
  const intent = findIntent(ctx, id);
  checkClientSecret(ctx, intent);
  rejectUnknownParams(ctx.params, CONFIRM_PARAMS);
  confirmIntent(ctx, intent);
  return presentIntent(ctx, intent);
};

export const updatePaymentIntent: Handler = (ctx, [id = '']) => {
  const intent = findIntent(ctx, id);
  const { params } = ctx;
  rejectUnknownParams(params, [
    'amount',
    'currency',
    'customer',
    'description',
    'metadata',
    'payment_method',
    'receipt_email',
    'setup_future_usage',
    'shipping',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'expand',
  ]);
  for (const field of ['amount', 'currency', 'payment_method'] as const) {
    if (params[field] !== undefined && !UPDATABLE_STATUSES.includes(intent.status)) {
      throw unexpectedState(
        `This PaymentIntent's ${field} could not be updated because it has a status of ${intent.status}. You may only update the ${field} of a PaymentIntent with one of the following statuses: ${UPDATABLE_STATUSES.join(', ')}.`,
        intent,
      );
    }
  }
  const currency = readString(params, 'currency');
  if (currency !== undefined) intent.currency = readCurrency(currency);
  const amount = readInteger(params, 'amount');
  if (amount !== undefined) {
    checkAmount(amount, intent.currency);
    intent.amount = amount;
  }
  const customer = readString(params, 'customer');
  if (customer !== undefined) {
    const previousCustomer = intent.customer;
    intent.customer = findCustomer(ctx, customer, 'customer').id;
    ctx.ledger.paymentIntentsByCustomer.regroup(intent, previousCustomer, intent.customer);
  }
  const paymentMethod = readString(params, 'payment_method');
  if (paymentMethod !== undefined) {
    intent.payment_method = findPaymentMethod(ctx, paymentMethod, 'payment_method').id;
    ctx.ledger.authenticated.delete(intent.id);
    intent.status = 'requires_confirmation';
  }
  for (const field of [
    'description',
    'receipt_email',
    'setup_future_usage',
    'statement_descriptor',
    'statement_descriptor_suffix',
  ] as const) {
    const value =
      field === 'description'
        ? readLimitedString(params, field, MAX_DESCRIPTION_LENGTH)
        : readString(params, field);
    if (value !== undefined) intent[field] = value === '' ? null : value;
  }
  if (params.shipping !== undefined) intent.shipping = readObject(params, 'shipping') ?? null;
  intent.metadata = mergeMetadata(intent.metadata, params);
  return intent;
};

export const cancelPaymentIntent: Handler = (ctx, [id = '']) => {
  const intent = findIntent(ctx, id);
  const cancelable = [
    'requires_payment_method',
    'requires_capture',
    'requires_confirmation',
    'requires_action',
    'processing',
  ];
  if (!cancelable.includes(intent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`,
      intent,
    );
  }
  Object.assign(intent, {
    status: 'canceled',
    canceled_at: ctx.now(),
    cancellation_reason: readString(ctx.params, 'cancellation_reason') ?? null,
    next_action: null,
  });
  ctx.emit('payment_intent.canceled', intent);
  return intent;
};

export const listPaymentIntents: Handler = (ctx) => {
  const customer = readString(ctx.params, 'customer');
  const intents =
    customer === undefined
      ? [...ctx.ledger.paymentIntents.values()]
      : ctx.ledger.paymentIntentsByCustomer.get(customer);
  return listPage(ctx.params, filterByCreated(ctx.params, intents ?? []), '/v1/payment_intents');
};
