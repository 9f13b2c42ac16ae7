import { setTimeout as sleep } from 'node:timers/promises';
import type { ReconciliationConfig } from '../config.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { PaymentProvider } from '../payments/providers/payment-provider.js';
import type { SweepDeps, SweepReport } from './findings.js';
import { runReconciliationSweep, sweepWindow } from './run-sweep.js';

/**
 * The relay's scheduled sweep: every RECONCILE_INTERVAL_MS it compares the last
 * RECONCILE_LOOKBACK_HOURS of payments with the providers. Relays sharing a database may all run
 * it: every fix is keyed (`sweep_<payment>_<status>` event ids, forward-only status moves, one
 * outbox row per status), so two sweeps apply a fix once between them.
 */
export class ReconciliationSchedule {
  private readonly stopped = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: {
      providers: readonly PaymentProvider[];
      deps: SweepDeps;
      config: ReconciliationConfig;
      metrics?: RelayMetrics;
      now?: () => number;
    },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }

  async runOnce(): Promise<SweepReport> {
    const { providers, deps, config, metrics } = this.options;
    const now = (this.options.now ?? Date.now)();
    const report = await runReconciliationSweep(providers, deps, {
      ...sweepWindow(now, config.lookbackHours * 3_600_000, config.graceMs),
      dryRun: false,
    });
    metrics?.countReconciliation(report);
    return report;
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      const slept = await sleep(this.options.config.intervalMs, true, {
        signal: this.stopped.signal,
        ref: false,
      }).catch(() => false);
      if (!slept) return;
      try {
        await this.runOnce();
      } catch (error) {
        this.options.deps.logger.error(
          { err: error },
          'reconciliation sweep failed; trying again next interval',
        );
      }
    }
  }
}

/** Starts the schedule unless RECONCILE_INTERVAL_MS is 0. */
export function startReconciliationSchedule(
  options: ConstructorParameters<typeof ReconciliationSchedule>[0],
) {
  if (options.config.intervalMs === 0) return undefined;
  const schedule = new ReconciliationSchedule(options);
  schedule.start();
  return schedule;
}
