import type Stripe from 'stripe';
import type { Tenant } from '../../../db/models/tenant.js';
import type { Transaction } from '../../../db/models/transaction.js';
import { RelayError } from '../../../errors.js';
import type { PaymentDeps } from '../../payment-deps.js';
import { ProviderUnansweredError, type CardPayments, type ChargeOutcome } from '../payment-provider.js';
import { refuseDeauthorizedAccount } from './account-deauthorized.js';
import { chargeWithStripe, type StripePayer } from './charge-stripe.js';
import { statusFromPaymentIntent } from './payment-intent-status.js';
import { chargeFailure, isUnansweredStripeError } from './stripe-failures.js';

/** Card payments with PaymentIntents: one create-and-confirm call, then 3-D Secure if asked. */
export const stripeCardPayments: CardPayments = {
  payerAccountOf: (tenant) => tenant.stripeAccountId,

  async assertReady(deps, tenant, livemode) {
    deps.stripe.clientFor(livemode);
    await refuseDeauthorizedAccount(deps, tenant);
  },

  async charge(deps, attempt) {
    const { tenant } = attempt;
    const payer: StripePayer = { customerId: attempt.knownPayer?.stripeCustomerId ?? null };
    const payerRecord = () =>
      payer.customerId
        ? { stripeCustomerId: payer.customerId, stripeAccount: tenant.stripeAccountId }
        : undefined;
    try {
      const intent = await chargeWithStripe(
        { ...attempt, stripe: deps.stripe.clientFor(attempt.scope.livemode), logger: deps.logger },
        payer,
      );
      return withPayer(
        {
          change: { ...changeFromIntent(intent), providerPaymentId: intent.id },
          ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}),
        },
        payerRecord(),
      );
    } catch (error) {
      if (error instanceof RelayError) throw error;
      if (isUnansweredStripeError(error)) throw new ProviderUnansweredError(error);
      return withPayer({ change: chargeFailure(error as Stripe.errors.StripeError) }, payerRecord());
    }
  },

  async resumeAction(deps, tenant, transaction) {
    const intent = await deps.stripe
      .clientFor(transaction.livemode)
      .paymentIntents.retrieve(transaction.providerPaymentId!, {}, accountOptions(tenant))
      .catch((error: unknown) => {
        throw replayFailure(error, transaction.providerPaymentId!);
      });
    return intent.client_secret ?? undefined;
  },

  confirm: confirmWithStripe,

  fingerprintMaterial: (request) => request.stripe,
};

function withPayer(outcome: ChargeOutcome, payer: ChargeOutcome['payer']): ChargeOutcome {
  return payer ? { ...outcome, payer } : outcome;
}

function accountOptions(tenant: Tenant): { stripeAccount?: string } {
  return tenant.stripeAccountId ? { stripeAccount: tenant.stripeAccountId } : {};
}

/** Why a replayed 3-D Secure step cannot be answered: Stripe is silent, or no longer has the payment. */
function replayFailure(error: unknown, paymentIntentId: string): unknown {
  if (isUnansweredStripeError(error)) {
    return new RelayError(
      'provider_unavailable',
      'The payment provider is not answering. Try again shortly.',
    );
  }
  if ((error as { code?: string }).code === 'resource_missing') {
    return new RelayError(
      'provider_payment_missing',
      `Stripe no longer has this payment (${paymentIntentId}). Start a new payment with a new attempt id.`,
    );
  }
  return error;
}

/** Retrieves the PaymentIntent after the browser's next action and confirms it if Stripe still waits. */
async function confirmWithStripe(
  deps: PaymentDeps,
  tenant: Tenant,
  transaction: Transaction,
  attemptId: string,
): Promise<ChargeOutcome> {
  const stripe = deps.stripe.clientFor(transaction.livemode);
  const requestOptions = accountOptions(tenant);
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.retrieve(transaction.providerPaymentId!, {}, requestOptions);
    if (intent.status === 'requires_confirmation') {
      intent = await stripe.paymentIntents.confirm(
        intent.id,
        {},
        { ...requestOptions, idempotencyKey: `opp_confirm_${tenant.id}_${attemptId}` },
      );
    }
  } catch (error) {
    if (isUnansweredStripeError(error)) throw new ProviderUnansweredError(error);
    return { change: chargeFailure(error as Stripe.errors.StripeError) };
  }
  return {
    change: changeFromIntent(intent),
    ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}),
  };
}

/** The intent's status and, when it carries one, its last error's codes. */
function changeFromIntent(intent: Stripe.PaymentIntent): ChargeOutcome['change'] {
  const lastError = intent.last_payment_error;
  return {
    status: statusFromPaymentIntent(intent),
    ...(lastError
      ? {
          failureCode: lastError.code ?? 'payment_failed',
          declineCode: lastError.decline_code ?? null,
          failureMessage: lastError.message ?? 'The payment failed.',
        }
      : {}),
  };
}
