import type { ApiContext, Handler } from './context.js';
import { invalidRequest, resourceMissing } from './errors.js';
import { mergeMetadata, readString, rejectUnknownParams } from './form.js';
import { createId } from './ids.js';
import type { StripeObject } from './store.js';

function describeAccount(
  ctx: ApiContext,
  id: string,
  fields: { email: string | null; country: string; type: string },
) {
  const requirements = {
    alternatives: [],
    current_deadline: null,
    currently_due: [],
    disabled_reason: null,
    errors: [],
    eventually_due: [],
    past_due: [],
    pending_verification: [],
  };
  return {
    id,
    object: 'account',
    business_profile: { mcc: null, name: null, product_description: null, support_email: null, url: null },
    business_type: null,
    capabilities: { card_payments: 'active', transfers: 'active' },
    // Connected accounts come ready to charge: onboarding is not what the sandbox tests.
    charges_enabled: true,
    controller: { type: fields.type === 'standard' ? 'account' : 'application' },
    country: fields.country,
    created: ctx.now(),
    default_currency: fields.country === 'US' ? 'usd' : 'eur',
    details_submitted: true,
    email: fields.email,
    external_accounts: {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/accounts/${id}/external_accounts`,
    },
    future_requirements: requirements,
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, ctx.params),
    payouts_enabled: true,
    requirements,
    settings: { dashboard: { display_name: null, timezone: 'Etc/UTC' } },
    tos_acceptance: { date: null },
    type: fields.type,
  } satisfies StripeObject;
}

/** `POST /v1/accounts`: a Connect account, usable at once through the `Stripe-Account` header. */
export const createAccount: Handler = (ctx) => {
  rejectUnknownParams(ctx.params, [
    'type',
    'country',
    'email',
    'business_type',
    'capabilities',
    'controller',
    'metadata',
    'business_profile',
    'expand',
  ]);
  if (ctx.scope.account !== undefined) {
    throw invalidRequest('Connected accounts cannot create other accounts.', { status: 400 });
  }
  const account = describeAccount(ctx, createId('acct').slice(0, 21), {
    email: readString(ctx.params, 'email') ?? null,
    country: (readString(ctx.params, 'country') ?? 'US').toUpperCase(),
    type: readString(ctx.params, 'type') ?? 'custom',
  });
  ctx.world.addAccount(account);
  ctx.emit('account.updated', account);
  return account;
};

export const retrieveAccount: Handler = (ctx, [id]) => {
  const wanted = id ?? ctx.scope.account;
  if (wanted === undefined || wanted === ctx.world.platformAccountId) {
    return describeAccount(ctx, ctx.world.platformAccountId, {
      email: null,
      country: 'US',
      type: 'standard',
    });
  }
  const account = ctx.world.account(ctx.scope.livemode, wanted);
  if (!account) throw resourceMissing('account', wanted, 'account');
  return account;
};

export const retrieveBalance: Handler = (ctx) => {
  const net = new Map<string, number>();
  for (const charge of ctx.ledger.charges.values()) {
    if (charge.paid)
      net.set(charge.currency, (net.get(charge.currency) ?? 0) + charge.amount - charge.amount_refunded);
  }
  if (net.size === 0) net.set('usd', 0);
  const available = [...net].map(([currency, amount]) => ({
    amount,
    currency,
    source_types: { card: amount },
  }));
  return {
    object: 'balance',
    available,
    connect_reserved: [...net.keys()].map((currency) => ({ amount: 0, currency })),
    livemode: ctx.scope.livemode,
    pending: [...net.keys()].map((currency) => ({ amount: 0, currency, source_types: { card: 0 } })),
  };
};
