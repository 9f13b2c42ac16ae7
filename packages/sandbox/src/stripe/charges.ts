import type { ApiContext, Handler } from './context.js';
import { resourceMissing } from './errors.js';
import { readString } from './form.js';
import { createId } from './ids.js';
import { listPage } from './lists.js';
import { frozenPart } from './snapshot.js';
import type { Charge, PaymentIntent, StripeObject } from './store.js';
import type { CardOutcome } from './test-cards.js';

type Decline = Extract<CardOutcome, { kind: 'decline' }>;

const AUTHORIZED = frozenPart({
  advice_code: null,
  network_advice_code: null,
  network_decline_code: null,
  network_status: 'approved_by_network',
  reason: null,
  risk_level: 'normal',
  risk_score: 32,
  seller_message: 'Payment complete.',
  type: 'authorized',
});
const NO_FRAUD_DETAILS = frozenPart({});

function describeOutcome(decline: Decline | undefined) {
  if (!decline) return AUTHORIZED;
  return {
    advice_code: 'try_again_later',
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.declineCode ?? decline.code,
    risk_level: 'normal',
    risk_score: 32,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
}

/** Records the charge of one confirmation attempt, succeeded or failed. */
export function recordCharge(
  ctx: ApiContext,
  intent: PaymentIntent,
  paymentMethod: StripeObject,
  options: { decline?: Decline; authenticated: boolean },
): Charge {
  const { decline, authenticated } = options;
  const paid = decline === undefined;
  const card = paymentMethod.card as Record<string, unknown>;
  const id = createId('ch');
  const charge: Charge = {
    id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: paid ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: paid ? createId('txn') : null,
    billing_details: paymentMethod.billing_details,
    calculated_statement_descriptor: 'ONEPAGEPAY SANDBOX',
    captured: paid,
    created: ctx.now(),
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: NO_FRAUD_DETAILS,
    livemode: ctx.scope.livemode,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: describeOutcome(decline),
    paid,
    payment_intent: intent.id,
    payment_method: paymentMethod.id,
    payment_method_details: {
      card: {
        amount_authorized: paid ? intent.amount : null,
        brand: card.brand,
        checks: card.checks,
        country: card.country,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint,
        funding: card.funding,
        last4: card.last4,
        network: card.brand,
        three_d_secure: authenticated
          ? {
              authentication_flow: 'challenge',
              result: 'authenticated',
              result_reason: null,
              version: '2.2.0',
            }
          : null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: intent.receipt_email ?? null,
    receipt_number: null,
    receipt_url: paid ? `${ctx.baseUrl}/receipts/${id}` : null,
    refunded: false,
    review: null,
    shipping: intent.shipping ?? null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: paid ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
  ctx.ledger.charges.set(id, charge);
  ctx.ledger.chargesByPaymentIntent.add(charge, charge.payment_intent);
  ctx.emit(paid ? 'charge.succeeded' : 'charge.failed', charge);
  return charge;
}

export function findCharge(ctx: ApiContext, id: string, param = 'id'): Charge {
  const charge = ctx.ledger.charges.get(id);
  if (!charge) throw resourceMissing('charge', id, param);
  return charge;
}

export const retrieveCharge: Handler = (ctx, [id = '']) => findCharge(ctx, id);

export const listCharges: Handler = (ctx) => {
  const intent = readString(ctx.params, 'payment_intent');
  const customer = readString(ctx.params, 'customer');
  const candidates =
    intent === undefined ? [...ctx.ledger.charges.values()] : ctx.ledger.chargesByPaymentIntent.get(intent);
  const charges =
    customer === undefined ? candidates : candidates.filter((charge) => charge.customer === customer);
  return listPage(ctx.params, charges, '/v1/charges');
};
