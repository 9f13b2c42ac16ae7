import type { Route, RouteContext } from './core.js';
import { createValidationError, readJsonBody, type HubSpotReply } from './http-kit.js';
import { readRequestedProperties, serializeRecord } from './object-store.js';
import { requireObjectType } from './objects-routes.js';
import { getObjects, type CrmRecord } from './state.js';

interface Filter {
  propertyName?: string;
  operator?: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

// HubSpot's documented search limits.
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;
const MAX_LIMIT = 200;

/** Strings compare case-insensitively in HubSpot search; numbers (and dates as ms) numerically. */
function compare(stored: string, wanted: unknown): number {
  const left = Number(stored);
  const right = Number(wanted);
  if (stored !== '' && Number.isFinite(left) && Number.isFinite(right)) return left - right;
  const leftDate = Date.parse(stored);
  if (Number.isFinite(leftDate) && Number.isFinite(right)) return leftDate - right;
  return stored.toLowerCase().localeCompare(String(wanted).toLowerCase());
}

function matchesFilter(record: CrmRecord, filter: Filter): boolean {
  const name = filter.propertyName ?? '';
  const stored = name === 'hs_object_id' ? record.id : (record.properties[name] ?? '');
  const has = stored !== '';
  const values = (filter.values ?? []).map((value) => String(value).toLowerCase());
  switch (filter.operator) {
    case 'EQ':
      return has && compare(stored, filter.value) === 0;
    case 'NEQ':
      return !has || compare(stored, filter.value) !== 0;
    case 'LT':
      return has && compare(stored, filter.value) < 0;
    case 'LTE':
      return has && compare(stored, filter.value) <= 0;
    case 'GT':
      return has && compare(stored, filter.value) > 0;
    case 'GTE':
      return has && compare(stored, filter.value) >= 0;
    case 'BETWEEN':
      return has && compare(stored, filter.value) >= 0 && compare(stored, filter.highValue) <= 0;
    case 'IN':
      return has && values.includes(stored.toLowerCase());
    case 'NOT_IN':
      return !values.includes(stored.toLowerCase());
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'CONTAINS_TOKEN':
      return (
        has &&
        stored.toLowerCase().includes(
          String(filter.value ?? '')
            .replaceAll('*', '')
            .toLowerCase(),
        )
      );
    default:
      throw createValidationError(`Invalid filter operator: ${String(filter.operator)}`);
  }
}

/** `sorts: [{ propertyName, direction }]` (or `['name']`, `['-name']`); default order is by record id. */
function sortRecords(records: CrmRecord[], sorts: unknown): void {
  const first: unknown = Array.isArray(sorts) ? sorts[0] : undefined;
  if (first === undefined) return;
  const spec =
    typeof first === 'string'
      ? {
          propertyName: first.replace(/^-/, ''),
          direction: first.startsWith('-') ? 'DESCENDING' : 'ASCENDING',
        }
      : (first as { propertyName?: string; direction?: string });
  const name = spec.propertyName ?? 'hs_object_id';
  const sign = spec.direction === 'DESCENDING' ? -1 : 1;
  records.sort((a, b) => sign * compare(a.properties[name] ?? '', b.properties[name] ?? ''));
}

function search(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  const body = readJsonBody(ctx.req);
  const groups = Array.isArray(body['filterGroups'])
    ? (body['filterGroups'] as Array<{ filters?: Filter[] }>)
    : [];
  const filterCount = groups.reduce((sum, group) => sum + (group.filters?.length ?? 0), 0);
  if (
    groups.length > MAX_GROUPS ||
    filterCount > MAX_FILTERS ||
    groups.some((group) => (group.filters?.length ?? 0) > MAX_FILTERS_PER_GROUP)
  ) {
    throw createValidationError(
      `Too many filters: at most ${MAX_GROUPS} filterGroups, ${MAX_FILTERS_PER_GROUP} filters per group and ${MAX_FILTERS} filters in all.`,
    );
  }
  const limit = Math.min(Number(body['limit'] ?? 10) || 10, MAX_LIMIT);
  const after = Number(body['after'] ?? 0) || 0;
  const query = typeof body['query'] === 'string' ? body['query'].toLowerCase() : '';
  const matches = [...getObjects(ctx.portal, type).values()].filter(
    (record) =>
      !record.archived &&
      record.createdAt <= ctx.now - ctx.core.searchLagMs &&
      (groups.length === 0 ||
        groups.some((group) => (group.filters ?? []).every((f) => matchesFilter(record, f)))) &&
      (query === '' ||
        Object.values(record.properties).some((value) => value?.toLowerCase().includes(query))),
  );
  sortRecords(matches, body['sorts']);
  const page = matches.slice(after, after + limit);
  const requested = readRequestedProperties(body['properties']);
  return {
    status: 200,
    body: {
      total: matches.length,
      results: page.map((record) => serializeRecord(record, type, requested)),
      ...(after + limit < matches.length ? { paging: { next: { after: String(after + limit) } } } : {}),
    },
  };
}

export const objectSearchRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/crm/v3/objects/:type/search',
    auth: 'token',
    omitRateLimitHeaders: true,
    handle: search,
  },
];
