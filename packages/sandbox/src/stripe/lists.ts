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
