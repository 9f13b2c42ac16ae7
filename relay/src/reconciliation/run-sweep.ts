import type { Finding, SweepDeps, SweepOptions, SweepReport } from './findings.js';
import { sweepPayPal } from './sweep-paypal.js';
import { sweepStripe } from './sweep-stripe.js';

/**
 * One reconciliation sweep over both providers. Each finding is logged (ids and statuses only,
 * never payer data); a provider that cannot be read is reported and does not stop the other.
 */
export async function runReconciliationSweep(deps: SweepDeps, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = {
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    dryRun: options.dryRun,
    checked: { stripe: 0, paypal: 0 },
    findings: [],
    errors: [],
  };
  for (const sweep of [sweepStripe, sweepPayPal]) {
    try {
      await sweep(deps, options, report);
    } catch (error) {
      const provider = sweep === sweepStripe ? 'stripe' : 'paypal';
      report.errors.push({ provider, message: (error as Error).message });
    }
  }
  for (const finding of report.findings) logFinding(deps, finding);
  for (const error of report.errors) deps.logger.error(error, 'reconciliation could not read a provider');
  deps.logger.info(
    { checked: report.checked, findings: report.findings.length, errors: report.errors.length },
    'reconciliation sweep done',
  );
  return report;
}

function logFinding(deps: SweepDeps, finding: Finding): void {
  const level = finding.outcome === 'unfixable' || finding.kind === 'metadata_mismatch' ? 'error' : 'warn';
  deps.logger[level]({ reconciliation: finding }, `reconciliation: ${finding.kind} (${finding.outcome})`);
}

/** The window of a sweep run at `now`: `lookbackMs` back, leaving the last `graceMs` to in-flight payments. */
export function sweepWindow(now: number, lookbackMs: number, graceMs: number): { since: Date; until: Date } {
  return { since: new Date(now - lookbackMs), until: new Date(now - graceMs) };
}
