import { createHash } from 'node:crypto';
import type { CreatePaymentRequest, PaymentResult } from '@onepagepay/protocol';
import type { Form } from '../db/models/form.js';
import type { Tenant } from '../db/models/tenant.js';
import type { Transaction } from '../db/models/transaction.js';
import { inTenantSqlTransaction } from '../db/sql-session.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { assertOriginAllowed } from './own-payment.js';
import type { PaymentDeps } from './payment-deps.js';
import { findContactByEmail, normalizeEmail, upsertContact } from './contacts.js';
import { providerNamed } from './providers/index.js';
import {
  ProviderUnansweredError,
  type CardPayments,
  type ChargeOutcome,
} from './providers/payment-provider.js';
import {
  applyStatusChange,
  claimAttempt,
  findTransaction,
  paymentResultOf,
  releaseClaim,
} from './transaction-store.js';
import { SingleFlight } from './singleflight.js';
import { noteRequestTenant } from '../observability/request-context.js';

const flights = new SingleFlight<PaymentResult>();

/**
 * Charges one form submission. The price comes from the form's configuration, never from the
 * request; the attempt id makes the whole operation idempotent, in this process, across processes
 * (a unique row claimed before any money moves) and at the provider (an idempotency key).
 */
export async function createPayment(
  deps: PaymentDeps,
  request: CreatePaymentRequest,
  origin: string,
): Promise<PaymentResult> {
  const found = await deps.forms.find(request.tenantId, request.formId);
  if (!found) throw notFound();
  const { tenant, form } = found;
  assertOriginAllowed(tenant, origin);
  if (!form.providers.includes(request.provider)) {
    throw new RelayError(
      'provider_not_enabled',
      `This form does not take payments with ${request.provider}.`,
    );
  }
  const card = cardPaymentsOf(request.provider);
  const amount = decideAmount(form, request.amount);
  const scope: TenantScope = { tenantId: tenant.id, livemode: form.livemode };
  noteRequestTenant(scope);
  const fingerprint = fingerprintOf(request, amount, form.currency, card);

  const flight = flights.run(`${tenant.id}:${request.attemptId}`, fingerprint, () =>
    chargeOnce(deps, { tenant, form, scope, request, amount, fingerprint, card }),
  );
  if (!flight.sameRequest) throw attemptConflict();
  return flight.promise;
}

interface ChargeContext {
  tenant: Tenant;
  form: Form;
  scope: TenantScope;
  request: CreatePaymentRequest;
  amount: number;
  fingerprint: string;
  card: CardPayments;
}

/** The card payments of the request's provider; a provider without them is charged elsewhere. */
function cardPaymentsOf(name: string): CardPayments {
  const card = providerNamed(name).card;
  if (!card) {
    throw new RelayError('provider_not_enabled', `Payments with ${name} are not made through this endpoint.`);
  }
  return card;
}

/**
 * Two database transactions per payment: the claim (which also reads the known contact), and the
 * outcome (contact, status and outbox together), with the provider's calls between them.
 */
async function chargeOnce(deps: PaymentDeps, context: ChargeContext): Promise<PaymentResult> {
  const { tenant, form, scope, request, card } = context;
  await card.assertReady(deps, tenant, scope.livemode);
  const { transaction, claimed, knownPayer } = await inTenantSqlTransaction(deps.knex, scope, async (sql) => {
    const claim = await claimAttempt(sql, scope, {
      formId: form.id,
      attemptId: request.attemptId,
      requestFingerprint: context.fingerprint,
      amount: context.amount,
      currency: form.currency,
      productName: form.productName,
      provider: request.provider,
      hutk: request.hutk ?? null,
      pageUri: request.pageUri ?? null,
    });
    const knownPayer = claim.claimed
      ? await findContactByEmail(sql, scope, request.contact.email, card.payerAccountOf(tenant))
      : undefined;
    return { ...claim, knownPayer };
  });
  if (transaction.requestFingerprint !== context.fingerprint) throw attemptConflict();
  if (!claimed) return answerFromRecord(deps, tenant, await settledOrWaited(deps, transaction));

  let outcome: ChargeOutcome;
  try {
    outcome = await card.charge(deps, {
      tenant,
      form,
      scope,
      request,
      amount: context.amount,
      transactionId: transaction.id,
      attemptStartedAt: transaction.createdAt,
      knownPayer,
    });
  } catch (error) {
    if (!(error instanceof ProviderUnansweredError)) throw error;
    // No answer means we cannot know whether the provider charged: keep the attempt open for a retry
    // with the same idempotency key, which returns the provider's first answer.
    await releaseClaim(deps.knex, transaction);
    deps.logger.warn(
      { err: error.cause, transactionId: transaction.id },
      `${request.provider} did not answer`,
    );
    throw new RelayError('provider_unavailable', 'The payment provider is not answering. Try again shortly.');
  }
  const { transaction: recorded } = await inTenantSqlTransaction(deps.knex, scope, async (sql) => {
    const contact = outcome.payer
      ? await upsertContact(sql, scope, { ...request.contact, ...outcome.payer })
      : undefined;
    return applyStatusChange(sql, transaction, {
      ...outcome.change,
      ...(contact ? { contactId: contact.id } : {}),
    });
  });
  return resultOrThrow(recorded, outcome.clientSecret);
}

/**
 * Another relay process owns this attempt right now: wait for its answer (bounded), so every copy
 * of a submission storm gets the first result rather than an error.
 */
async function settledOrWaited(deps: PaymentDeps, transaction: Transaction): Promise<Transaction> {
  let current = transaction;
  const deadline = Date.now() + WAIT_FOR_OTHER_PROCESS_MS;
  while (current.status === 'processing' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    current = (await findTransaction(deps.knex, current, { id: current.id })) ?? current;
  }
  return current;
}

const WAIT_FOR_OTHER_PROCESS_MS = 10_000;

/** A repeated attempt gets the first attempt's answer; a 3-D Secure step gets a fresh client secret. */
async function answerFromRecord(
  deps: PaymentDeps,
  tenant: Tenant,
  transaction: Transaction,
): Promise<PaymentResult> {
  if (transaction.status === 'processing') {
    throw new RelayError('attempt_in_progress', 'This payment is still being processed. Retry in a moment.');
  }
  if (transaction.status === 'requires_action' && transaction.providerPaymentId) {
    const card = providerNamed(transaction.provider).card;
    if (card) return resultOrThrow(transaction, await card.resumeAction(deps, tenant, transaction));
  }
  return resultOrThrow(transaction);
}

/** Declines are answered as errors with the provider's decline code, the same on every replay. */
export function resultOrThrow(transaction: Transaction, clientSecret?: string): PaymentResult {
  if (transaction.status !== 'failed') return paymentResultOf(transaction, clientSecret);
  const code =
    transaction.failureCode === 'payment_intent_authentication_failure'
      ? 'payment_authentication_failed'
      : transaction.declineCode || transaction.failureCode === 'card_declined'
        ? 'card_declined'
        : 'payment_failed';
  throw new RelayError(code, transaction.failureMessage ?? 'The payment failed.', {
    ...(transaction.declineCode ? { declineCode: transaction.declineCode } : {}),
  });
}

export function decideAmount(form: Form, requested: number | undefined): number {
  if (form.amount !== null) {
    if (requested !== undefined && requested !== form.amount) {
      throw new RelayError('price_changed', 'The price of this form has changed. Reload the page to see it.');
    }
    return form.amount;
  }
  const min = form.customAmountMin ?? 0;
  const max = form.customAmountMax ?? 0;
  if (requested === undefined || requested < min || requested > max) {
    throw new RelayError('amount_out_of_range', `Choose an amount from ${min} to ${max} (minor units).`);
  }
  return requested;
}

function fingerprintOf(
  request: CreatePaymentRequest,
  amount: number,
  currency: string,
  card: CardPayments,
): string {
  const material = JSON.stringify([
    request.formId,
    amount,
    currency,
    normalizeEmail(request.contact.email),
    request.contact.firstName,
    request.contact.lastName,
    card.fingerprintMaterial(request),
  ]);
  return createHash('sha256').update(material).digest('hex');
}

export function attemptConflict(): RelayError {
  return new RelayError(
    'attempt_conflict',
    'This attempt id was already used for a different payment. Use a new attempt id for a new payment.',
  );
}
