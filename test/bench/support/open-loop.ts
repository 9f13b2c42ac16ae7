import { build, type Histogram } from 'hdr-histogram-js';

/** Microseconds, the unit both histograms record in (1 µs to 1 hour, 3 significant digits). */
export function newLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export interface OpenLoopRun {
  /** From each request's scheduled start to its answer, µs. */
  latency: Histogram;
  /** From each request's scheduled start to the moment the generator actually sent it, µs. */
  lag: Histogram;
  sent: number;
  /** Requests sent per second, first scheduled start to last send. */
  sentRate: number;
}

/**
 * Open-loop load: request i is due at start + i / rate and leaves then, whether or not earlier ones
 * have answered, so a slow answer cannot hold back the requests behind it (no coordinated
 * omission). Each latency is measured from the request's scheduled start, so time the generator
 * itself lost (a timer firing late, a busy event loop) counts against the system under test, not
 * for it; the generator records that lag separately, to show it kept its schedule. Any failed
 * request fails the run once every request has settled.
 */
export async function runOpenLoop(options: {
  ratePerSecond: number;
  count: number;
  send(index: number): Promise<void>;
}): Promise<OpenLoopRun> {
  const { ratePerSecond, count } = options;
  if (!(ratePerSecond > 0) || !Number.isInteger(count) || count < 1) {
    throw new Error(`open loop needs a positive rate and count, got ${ratePerSecond}/s × ${count}`);
  }
  const intervalMs = 1000 / ratePerSecond;
  const latency = newLatencyHistogram();
  const lag = newLatencyHistogram();
  const failures: unknown[] = [];
  const pending: Array<Promise<void>> = [];
  const startAt = performance.now();
  let lastSentAt = startAt;
  let next = 0;
  while (next < count) {
    const now = performance.now();
    // Catch up on every request already due: a late wake-up sends a burst, not a slower schedule.
    while (next < count && startAt + next * intervalMs <= now) {
      const scheduledAt = startAt + next * intervalMs;
      lag.recordValue(toMicros(now - scheduledAt));
      const index = next;
      next += 1;
      lastSentAt = now;
      pending.push(
        options.send(index).then(
          () => latency.recordValue(toMicros(performance.now() - scheduledAt)),
          (error: unknown) => void failures.push(error),
        ),
      );
    }
    if (next < count) await sleep(startAt + next * intervalMs - performance.now());
  }
  await Promise.all(pending);
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${count} requests failed; first: ${String(failures[0])}`, {
      cause: failures[0],
    });
  }
  const spanMs = lastSentAt - startAt;
  return { latency, lag, sent: count, sentRate: spanMs > 0 ? ((count - 1) / spanMs) * 1000 : ratePerSecond };
}

/** Several runs of one side as one: histograms added, the send rate weighted by requests sent. */
export function mergeRuns(runs: OpenLoopRun[]): OpenLoopRun {
  if (runs.length === 0) throw new Error('mergeRuns needs at least one run');
  const latency = newLatencyHistogram();
  const lag = newLatencyHistogram();
  for (const run of runs) {
    latency.add(run.latency);
    lag.add(run.lag);
  }
  const sent = runs.reduce((sum, run) => sum + run.sent, 0);
  const sentRate = runs.reduce((sum, run) => sum + run.sentRate * run.sent, 0) / sent;
  return { latency, lag, sent, sentRate };
}

/** p50, p99, p99.9 and max of a µs histogram, in ms. */
export function latencySummaryMs(histogram: Histogram) {
  const ms = (micros: number) => micros / 1000;
  return {
    p50_ms: ms(histogram.getValueAtPercentile(50)),
    p99_ms: ms(histogram.getValueAtPercentile(99)),
    'p99.9_ms': ms(histogram.getValueAtPercentile(99.9)),
    max_ms: ms(histogram.getValueAtPercentile(100)),
  };
}

function toMicros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
