import type { Handler } from './context.js';
import { invalidParam } from './errors.js';
import { requireString } from './form.js';
import type { StripeObject } from './store.js';

interface Clause {
  field: string;
  metadataKey: string | undefined;
  value: string;
}

/**
 * Parses the part of Stripe's search query language the sandbox answers: exact-match clauses
 * `field:'value'` and `metadata['key']:'value'` joined by AND (https://docs.stripe.com/search).
 */
export function parseSearchQuery(query: string, fields: readonly string[]): Clause[] {
  return query.split(/\s+AND\s+/i).map((clause) => {
    const match = /^([a-z_]+|metadata\[['"]([^'"]+)['"]\])\s*:\s*['"]([^'"]*)['"]$/.exec(clause.trim());
    if (!match || (match[2] === undefined && !fields.includes(match[1] ?? ''))) {
      throw invalidParam(`The sandbox cannot parse the search clause: ${clause}`, 'query');
    }
    return { field: match[1] ?? '', metadataKey: match[2], value: match[3] ?? '' };
  });
}

export function matchesSearch(object: StripeObject, clauses: readonly Clause[]): boolean {
  return clauses.every(({ field, metadataKey, value }) =>
    metadataKey === undefined
      ? object[field] === value
      : (object.metadata as Record<string, string> | undefined)?.[metadataKey] === value,
  );
}

/** A search endpoint over `objects(ctx)`, newest first, as a `search_result`. */
export function searchHandler(
  url: string,
  fields: readonly string[],
  objects: (ctx: Parameters<Handler>[0]) => Iterable<StripeObject>,
): Handler {
  return (ctx) => {
    const clauses = parseSearchQuery(requireString(ctx.params, 'query'), fields);
    const data = [...objects(ctx)].filter((object) => matchesSearch(object, clauses));
    return { object: 'search_result', data: data.reverse(), has_more: false, next_page: null, url };
  };
}
