/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; returns per-call latencies (ms). */
export async function runConcurrently(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const began = performance.now();
        await task(index);
        latenciesMs.push(performance.now() - began);
      }
    }),
  );
  return { latenciesMs, elapsedMs: performance.now() - startedAt };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function formatRow(label: string, values: Record<string, string | number>): string {
  return `${label.padEnd(34)} ${Object.entries(values)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? value.toFixed(value < 10 ? 2 : 0) : value}`)
    .join('  ')}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}
