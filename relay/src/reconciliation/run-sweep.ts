import type { PaymentProvider } from '../payments/providers/payment-provider.js';
import type { Finding, ProviderSweepReport, SweepDeps, SweepOptions, SweepReport } from './findings.js';

/**
 * One reconciliation sweep over every provider given (the registry, `PAYMENT_PROVIDERS`), one
 * after the other. Each finding is logged (ids and statuses only, never payer data); a provider
 * that cannot be read is reported and does not stop the others.
 */
export async function runReconciliationSweep(
  providers: readonly PaymentProvider[],
  deps: SweepDeps,
  options: SweepOptions,
): Promise<SweepReport> {
  const report: SweepReport = {
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    dryRun: options.dryRun,
    checked: Object.fromEntries(providers.map((provider) => [provider.name, 0])),
    findings: [],
    errors: [],
  };
  for (const provider of providers) {
    const part: ProviderSweepReport = { checked: 0, findings: [], errors: [] };
    try {
      await provider.sweep(deps, options, part);
    } catch (error) {
      part.errors.push((error as Error).message);
    }
    // What a provider found before it failed was already fixed, so it is reported all the same.
    const { name } = provider;
    report.checked[name] = part.checked;
    report.findings.push(...part.findings.map((finding) => ({ provider: name, ...finding })));
    report.errors.push(...part.errors.map((message) => ({ provider: name, message })));
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
