import Stripe from 'stripe';
import type { CreatePaymentRequest } from '@onepagepay/protocol';
import type { Form } from '../../../db/models/form.js';
import type { Tenant } from '../../../db/models/tenant.js';
import type { TenantScope } from '../../../db/tenant-scope.js';
import type { Logger } from '../../../logger.js';
import { createStripeCustomer } from './stripe-customers.js';

/** One charge of one attempt at Stripe. */
export interface StripeCharge {
  stripe: Stripe;
  logger: Logger;
  tenant: Tenant;
  form: Form;
  scope: TenantScope;
  request: CreatePaymentRequest;
  amount: number;
  transactionId: string;
  attemptStartedAt: Date;
}

/**
 * The payer's Stripe customer: the stored id at the tenant's account, or null for a payer new there.
 * The charge writes the id it ended up using back here, also when it then fails (a decline), so the
 * caller records the contact with the customer Stripe knows.
 */
export interface StripePayer {
  customerId: string | null;
}

/** The suffix of the keys of a charge's second try, after its stored customer turned out deleted. */
export const NEW_CUSTOMER_KEY_SUFFIX = ':customer-2';

/**
 * Creates and confirms the attempt's PaymentIntent, making the customer first for a new payer.
 *
 * A stored customer can be gone at Stripe (a merchant deleted it in the dashboard, the account was
 * reset): Stripe then refuses the PaymentIntent with `resource_missing` on the `customer` param, and
 * a payer would be locked out for good. So exactly that refusal, and no other, makes a new customer
 * and charges once more. The second try has keys of its own, derived from the attempt: a retry of
 * the attempt (a crash in between, a lapsed claim taken over) repeats both tries with the same keys,
 * and Stripe answers each with its first answer, so there is still one charge and one new customer.
 */
export async function chargeWithStripe(
  charge: StripeCharge,
  payer: StripePayer,
): Promise<Stripe.PaymentIntent> {
  const { tenant, request } = charge;
  const attemptKey = `opp_pi_${tenant.id}_${request.attemptId}`;
  if (Date.now() - charge.attemptStartedAt.getTime() >= RECONCILE_AFTER_MS) {
    const earlier = await findEarlierIntent(charge);
    if (earlier) {
      charge.logger.warn(
        { transactionId: charge.transactionId, paymentIntent: earlier.id },
        'a late retry found the payment its first try made: recorded, not charged again',
      );
      if (typeof earlier.customer === 'string') payer.customerId = earlier.customer;
      return earlier;
    }
  }
  payer.customerId ??= await createStripeCustomer({
    stripe: charge.stripe,
    stripeAccount: tenant.stripeAccountId,
    scope: charge.scope,
    contact: request.contact,
  });
  try {
    return await createPaymentIntent(charge, payer.customerId, attemptKey);
  } catch (error) {
    if (!isMissingCustomer(error)) throw error;
  }
  charge.logger.warn(
    { transactionId: charge.transactionId, customer: payer.customerId },
    'the stored stripe customer is gone: making a new one',
  );
  payer.customerId = await createStripeCustomer({
    stripe: charge.stripe,
    stripeAccount: tenant.stripeAccountId,
    scope: charge.scope,
    contact: request.contact,
    idempotencyKey: `opp_cus_${tenant.id}_${request.attemptId}${NEW_CUSTOMER_KEY_SUFFIX}`,
  });
  return createPaymentIntent(charge, payer.customerId, `${attemptKey}${NEW_CUSTOMER_KEY_SUFFIX}`);
}

/**
 * A retry this long after the attempt began searches Stripe for the PaymentIntent its first try
 * may have made before creating one. Stripe keeps idempotency keys for at least 24 hours and then
 * prunes them ("We generate a new request if a key is reused after the original is pruned"), so a
 * create retried a day later with the same key would be a second charge. An hour is far inside the
 * key's life (the key alone would do) and far past search's lag (data is searchable "in less than
 * a minute", https://docs.stripe.com/search#data-freshness), so the search sees the first try.
 */
export const RECONCILE_AFTER_MS = 60 * 60 * 1000;

/**
 * The PaymentIntent an earlier try of this attempt made, found by the attempt id in its metadata
 * (both tries of a charge, the `:customer-2` one too, carry it). A failed search is treated as no
 * answer (the attempt stays open), never as "none found": that would charge blindly.
 */
async function findEarlierIntent(charge: StripeCharge): Promise<Stripe.PaymentIntent | undefined> {
  const { tenant, request } = charge;
  let found: Stripe.ApiSearchResult<Stripe.PaymentIntent>;
  try {
    found = await charge.stripe.paymentIntents.search(
      {
        query: `metadata['onepagepay_attempt_id']:'${request.attemptId}' AND metadata['onepagepay_tenant_id']:'${tenant.id}'`,
        limit: 10,
      },
      tenant.stripeAccountId ? { stripeAccount: tenant.stripeAccountId } : {},
    );
  } catch (error) {
    throw new Error('the search for an earlier PaymentIntent of this attempt failed', { cause: error });
  }
  const intents = found.data;
  return intents.find((intent) => intent.status === 'succeeded') ?? intents[0];
}

/** Stripe's answer for a customer id it does not know (deleted, or of another account). */
export function isMissingCustomer(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    error.code === 'resource_missing' &&
    error.param === 'customer'
  );
}

function createPaymentIntent(
  charge: StripeCharge,
  customerId: string,
  idempotencyKey: string,
): Promise<Stripe.PaymentIntent> {
  const { tenant, form, request } = charge;
  return charge.stripe.paymentIntents.create(
    {
      amount: charge.amount,
      currency: form.currency.toLowerCase(),
      customer: customerId,
      ...('paymentMethodId' in request.stripe
        ? { payment_method: request.stripe.paymentMethodId }
        : { confirmation_token: request.stripe.confirmationTokenId }),
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      description: form.productName,
      metadata: {
        onepagepay_tenant_id: tenant.id,
        onepagepay_form_id: form.id,
        onepagepay_hubspot_form_guid: form.hubspotFormGuid,
        onepagepay_transaction_id: charge.transactionId,
        onepagepay_attempt_id: request.attemptId,
      },
    },
    {
      idempotencyKey,
      ...(tenant.stripeAccountId ? { stripeAccount: tenant.stripeAccountId } : {}),
    },
  );
}
