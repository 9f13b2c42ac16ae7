import type { RouteContext } from './core.js';
import { toIso, type HubSpotReply } from './http-kit.js';

/**
 * A batch answer: 200/201 when everything worked; when some inputs failed, 207 with `errors` where
 * HubSpot's API declares a 207 (CRM object batches), else the same 200/201 with `errors` in the body
 * (associations v4, whose only success answers are 200 and 201).
 */
export function createBatchReply(
  ctx: RouteContext,
  results: unknown[],
  errors: unknown[],
  okStatus: 200 | 201,
  partialStatus: 207 | 'ok' = 207,
): HubSpotReply {
  const started = toIso(ctx.now);
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: started,
    completedAt: started,
  };
  if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
  return { status: errors.length > 0 && partialStatus === 207 ? 207 : okStatus, body };
}

/** One entry of a batch answer's `errors` (StandardError). */
export function createBatchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
): unknown {
  return { status: 'error', category, message, context, errors: [], links: {} };
}
