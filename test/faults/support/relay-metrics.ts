import type { RelayProcess } from './relays.js';
import { METRICS_TOKEN } from './world.js';

/** A relay's reconciliation counters from its GET /metrics (they start at 0 with the process). */
export interface SweepCounters {
  runs: number;
  fixed: number;
  duplicate: number;
}

export async function sweepCounters(relay: RelayProcess): Promise<SweepCounters> {
  const response = await fetch(`${relay.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  if (!response.ok) throw new Error(`${relay.name} /metrics answered ${response.status}`);
  const text = await response.text();
  const sum = (name: string, label = '') =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes(label))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    runs: sum('onepagepay_reconciliation_runs_total'),
    fixed: sum('onepagepay_reconciliation_findings_total', 'outcome="fixed"'),
    duplicate: sum('onepagepay_reconciliation_findings_total', 'outcome="duplicate"'),
  };
}

/** What changed between two readings. */
export function sweptSince(before: SweepCounters, after: SweepCounters): SweepCounters {
  return {
    runs: after.runs - before.runs,
    fixed: after.fixed - before.fixed,
    duplicate: after.duplicate - before.duplicate,
  };
}
