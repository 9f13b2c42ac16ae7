import { CommanderError, InvalidArgumentError } from 'commander';
import { createLogger } from '../../logger.js';
import { PAYMENT_PROVIDERS } from '../../payments/providers/index.js';
import { closeProviderClients, createProviderClients } from '../../payments/payment-deps.js';
import type { Finding, SweepReport } from '../../reconciliation/findings.js';
import { runReconciliationSweep, sweepWindow } from '../../reconciliation/run-sweep.js';
import type { RegisterCommands } from '../cli-context.js';

function hours(value: string): number {
  const parsed = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= 1 && parsed <= 24 * 90)) throw new InvalidArgumentError('give whole hours from 1 to 2160');
  return parsed;
}

function minutes(value: string): number {
  const parsed = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= 0 && parsed <= 24 * 60))
    throw new InvalidArgumentError('give whole minutes from 0 to 1440');
  return parsed;
}

function describe(finding: Finding): string {
  const mode = finding.livemode ? 'live' : 'test';
  return (
    `${finding.outcome.padEnd(10)} ${finding.provider} ${finding.kind}  tenant=${finding.tenantId} ${mode}` +
    `  ${finding.providerId} transaction=${finding.transactionId ?? '-'}` +
    `  ours=${finding.ourStatus ?? 'none'} provider=${finding.providerStatus}`
  );
}

/** `1 Stripe and 0 PayPal`: every provider swept, by the name people read, in registry order. */
function checkedCounts(report: SweepReport): string {
  const counts = PAYMENT_PROVIDERS.map(({ name, label }) => `${report.checked[name] ?? 0} ${label}`);
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(counts);
}

export const registerReconcileCommand: RegisterCommands = (program, context) => {
  program
    .command('reconcile')
    .description(
      `Compare recent ${PAYMENT_PROVIDERS.map((provider) => provider.label).join(' and ')} payments with our records and record what webhooks missed (never moves money)`,
    )
    .option('--hours <n>', 'how far back to look (default: RECONCILE_LOOKBACK_HOURS, 72)', hours)
    .option('--grace-minutes <n>', 'skip payments younger than this (default: RECONCILE_GRACE_MS)', minutes)
    .option('--dry-run', 'report the findings without fixing them', false)
    .option('--json', 'print the report as JSON', false)
    .action(async (options: { hours?: number; graceMinutes?: number; dryRun: boolean; json: boolean }) => {
      const exitCode = await context.withDatabase(async (database, config) => {
        const clients = createProviderClients(config);
        const settings = config.reconciliation;
        try {
          const report = await runReconciliationSweep(
            PAYMENT_PROVIDERS,
            {
              knex: database.knex,
              ...clients,
              // The report is the output; the log lines (LOG_LEVEL) go to stderr for whoever keeps them.
              logger: createLogger({ level: config.logLevel, destination: process.stderr }),
            },
            {
              ...sweepWindow(
                Date.now(),
                (options.hours ?? settings.lookbackHours) * 3_600_000,
                options.graceMinutes === undefined ? settings.graceMs : options.graceMinutes * 60_000,
              ),
              dryRun: options.dryRun,
            },
          );
          if (options.json) {
            context.printJson(report);
          } else {
            context.print(
              `checked ${checkedCounts(report)} payments from ${report.since} to ${report.until}`,
            );
            for (const finding of report.findings) context.print(describe(finding));
            for (const error of report.errors)
              context.print(`error      ${error.provider}: ${error.message}`);
            if (report.findings.length === 0 && report.errors.length === 0) context.print('all in agreement');
          }
          return report.errors.length > 0 ? 2 : 0;
        } finally {
          await closeProviderClients(clients);
        }
      });
      // Exit 2 when a provider could not be read, so a cron wrapper notices; the lines above say which.
      if (exitCode !== 0) throw new CommanderError(exitCode, 'reconcile.provider_errors', 'provider errors');
    });
};
