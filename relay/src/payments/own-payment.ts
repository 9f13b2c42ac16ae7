import type { Knex } from 'knex';
import { Tenant } from '../db/models/tenant.js';
import type { Transaction } from '../db/models/transaction.js';
import { notFound, RelayError } from '../errors.js';
import { findTransaction } from './transaction-store.js';
import { isUuid } from '../ids.js';
import { noteRequestTenant } from '../observability/request-context.js';

/** Browsers send Origin with every cross-origin POST; its absence or a foreign page is refused. */
export function assertOriginAllowed(tenant: Tenant, origin: string): void {
  if (!origin || !tenant.allowedOrigins.includes(origin)) {
    throw new RelayError('origin_not_allowed', 'This page is not allowed to take payments for this form.');
  }
}

/**
 * The payment a browser asks about after paying (confirm, form submitted). The attempt id works as
 * the caller's proof that this is its own payment: an unknown tenant, a malformed id and a wrong
 * attempt id all get the same 404.
 */
export async function findOwnPayment(
  knex: Knex,
  transactionId: string,
  request: { tenantId: string; attemptId: string },
  origin: string,
): Promise<{ tenant: Tenant; transaction: Transaction }> {
  if (!isUuid(transactionId)) throw notFound();
  const tenant = await Tenant.query(knex).findById(request.tenantId);
  if (!tenant) throw notFound();
  assertOriginAllowed(tenant, origin);
  const transaction = await findTransaction(
    knex,
    { tenantId: tenant.id },
    { id: transactionId, attempt_id: request.attemptId },
  );
  if (!transaction) throw notFound();
  noteRequestTenant(transaction);
  return { tenant, transaction };
}
