import { readInteger, readString, type Params } from './form.js';
import { invalidParam } from './errors.js';
import type { StripeObject } from './store.js';

/**
 * A Stripe list page (`limit`, `starting_after`) of `items`, which come oldest first; the page is
 * newest first as Stripe orders lists. An unknown `starting_after` starts from the newest.
 */
export function listPage(params: Params, items: readonly StripeObject[], url: string) {
  const limit = readInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam(
      'This value must be greater than or equal to 1 and less than or equal to 100.',
      'limit',
    );
  }
  const after = readString(params, 'starting_after');
  const found = after === undefined ? -1 : items.findLastIndex((item) => item.id === after);
  // The page takes the items before `end`, walking back from it: read only what the page shows.
  const end = found === -1 ? items.length : found;
  const data: StripeObject[] = [];
  for (let at = end - 1; at >= 0 && data.length < limit; at -= 1) data.push(items[at] as StripeObject);
  return { object: 'list', data, has_more: end > limit, url };
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * Stripe's `created` list filter: an exact Unix time (`created=1700000000`) or a range
 * (`created[gte]=…&created[lt]=…`). Anything else is refused as Stripe refuses it.
 */
export function filterByCreated(params: Params, items: readonly StripeObject[]): readonly StripeObject[] {
  const value = params.created;
  if (value === undefined) return items;
  if (typeof value === 'string') {
    const exact = readInteger(params, 'created');
    return items.filter((item) => item.created === exact);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParam('Invalid created', 'created');
  }
  const range = value as Params;
  const bounds: Partial<Record<(typeof RANGE_KEYS)[number], number>> = {};
  for (const key of Object.keys(range)) {
    if (!(RANGE_KEYS as readonly string[]).includes(key)) {
      throw invalidParam(
        `Received unknown parameter: created[${key}]`,
        `created[${key}]`,
        'parameter_unknown',
      );
    }
    const bound = readInteger(range, key);
    if (bound !== undefined) bounds[key as (typeof RANGE_KEYS)[number]] = bound;
  }
  return items.filter((item) => {
    const created = item.created as number;
    return (
      (bounds.gt === undefined || created > bounds.gt) &&
      (bounds.gte === undefined || created >= bounds.gte) &&
      (bounds.lt === undefined || created < bounds.lt) &&
      (bounds.lte === undefined || created <= bounds.lte)
    );
  });
}
