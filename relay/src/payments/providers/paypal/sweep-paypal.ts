import type { Order } from '@paypal/paypal-server-sdk';
import { Tenant } from '../../../db/models/tenant.js';
import { Transaction } from '../../../db/models/transaction.js';
import { inTenantSqlTransaction } from '../../../db/sql-session.js';
import { inTenantTransaction, type TenantScope } from '../../../db/tenant-scope.js';
import type {
  ProviderFinding,
  ProviderSweepReport,
  SweepDeps,
  SweepOptions,
} from '../../../reconciliation/findings.js';
import { canMoveTo } from '../../transaction-status.js';
import { captureOf, payerOf } from './capture-paypal-order.js';
import type { PayPalAccount } from './paypal-accounts.js';
import { describePayPalError } from './paypal-failures.js';
import { recordCapture, statusFromCapture } from './record-capture.js';

/**
 * PayPal's Orders API cannot list orders, so the sweep starts from our side: every PayPal
 * transaction of the window still unsettled with an order id, whose order it reads. A capture we
 * never recorded (the relay died between PayPal's answer and its commit, and the webhook was lost)
 * is recorded as the capture route records it. An order approved but never captured is reported
 * and left alone: the payer saw an error and may have paid with a new attempt, so capturing the
 * old order could charge them twice.
 */
export async function sweepPayPal(
  deps: SweepDeps,
  options: SweepOptions,
  report: ProviderSweepReport,
): Promise<void> {
  const tenants = await Tenant.query(deps.knex).select('id');
  for (const account of deps.paypal.configuredModes()) {
    for (const tenant of tenants) {
      const scope: TenantScope = { tenantId: tenant.id, livemode: account.livemode };
      const open = await unsettledOrders(deps, scope, options);
      for (const transaction of open) {
        report.checked += 1;
        try {
          const finding = await reconcileOrder(deps, account, scope, transaction, options.dryRun);
          if (finding) report.findings.push(finding);
        } catch (error) {
          deps.logger.warn(
            { paypal: describePayPalError(error), transactionId: transaction.id },
            'reconciliation could not read a paypal order',
          );
          report.errors.push(`order ${transaction.providerOrderId}: unreadable`);
        }
      }
    }
  }
}

function unsettledOrders(deps: SweepDeps, scope: TenantScope, options: SweepOptions): Promise<Transaction[]> {
  return inTenantTransaction(deps.knex, scope, (trx) =>
    Transaction.query(trx)
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, provider: 'paypal' })
      .whereIn('status', ['processing', 'requires_action'])
      .whereNotNull('provider_order_id')
      .whereBetween('created_at', [options.since, options.until])
      .orderBy('created_at'),
  );
}

async function reconcileOrder(
  deps: SweepDeps,
  account: PayPalAccount,
  scope: TenantScope,
  transaction: Transaction,
  dryRun: boolean,
): Promise<ProviderFinding | undefined> {
  const orderId = transaction.providerOrderId as string;
  const { result: order } = await account.orders.getOrder({ id: orderId });
  const base = {
    tenantId: scope.tenantId,
    livemode: scope.livemode,
    providerId: orderId,
    transactionId: transaction.id,
    ourStatus: transaction.status,
  };
  const capture = captureOf(order);
  if (!capture) {
    if (order.status !== 'APPROVED') return undefined;
    return { ...base, kind: 'approved_not_captured', outcome: 'left_alone', providerStatus: 'approved' };
  }
  const providerStatus = statusFromCapture(capture.status);
  if (providerStatus === transaction.status || !canMoveTo(transaction.status, providerStatus))
    return undefined;
  if (dryRun) return { ...base, kind: 'status_mismatch', outcome: 'found', providerStatus };
  const recorded = await inTenantSqlTransaction(deps.knex, scope, (sql) =>
    recordCapture(sql, scope, transaction, capture, payerOf(order as Order)),
  );
  return {
    ...base,
    kind: 'status_mismatch',
    outcome: recorded.status === providerStatus ? 'fixed' : 'duplicate',
    providerStatus,
  };
}
