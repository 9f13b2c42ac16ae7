/**
 * Exponential backoff with "full jitter" on the upper half: base·2^(attempt-1), capped, times a
 * random factor in [0.5, 1), so a fleet of jobs that failed together does not retry together.
 */
export function backoffMs(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}
