import { readInteger, readString, type Params } from './form.js';
import { invalidParam } from './errors.js';
import type { StripeObject } from './store.js';

/** A Stripe list page (`limit`, `starting_after`), newest first as Stripe orders lists. */
export function listPage(params: Params, items: StripeObject[], url: string) {
  const limit = readInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam(
      'This value must be greater than or equal to 1 and less than or equal to 100.',
      'limit',
    );
  }
  const newestFirst = [...items].reverse();
  const after = readString(params, 'starting_after');
  const start = after === undefined ? 0 : newestFirst.findIndex((item) => item.id === after) + 1;
  const data = newestFirst.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < newestFirst.length, url };
}
