import type { RouteContext } from './core.js';
import { toIso, type HubSpotReply } from './http-kit.js';

/** A batch answer: 200/201 when everything worked, 207 with `errors` when some inputs failed. */
export function createBatchReply(
  ctx: RouteContext,
  results: unknown[],
  errors: unknown[],
  okStatus: 200 | 201,
): HubSpotReply {
  const started = toIso(ctx.now);
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: started,
    completedAt: started,
  };
  if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
  return { status: errors.length > 0 ? 207 : okStatus, body };
}

/** One entry of a batch answer's `errors` (StandardError). */
export function createBatchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
): unknown {
  return { status: 'error', category, message, context, errors: [], links: {} };
}
