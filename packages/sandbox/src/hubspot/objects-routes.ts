import { addAssociation, findHubSpotType, listAssociations, objectExists } from './association-store.js';
import type { Route, RouteContext } from './core.js';
import { createApiError, createNotFoundError, createValidationError, readJsonBody } from './http-kit.js';
import {
  createRecord,
  discardRecords,
  findByProperty,
  findUniqueConflict,
  isUniqueProperty,
  normalizeProperties,
  readRequestedProperties,
  serializeRecord,
  updateRecord,
} from './object-store.js';
import {
  OBJECT_TYPES,
  getObjects,
  resolveObjectType,
  type CrmRecord,
  type ObjectTypeName,
  type Portal,
} from './state.js';

/** Resolves the `{objectType}` path segment, answering HubSpot's 400 for an unknown type. */
export function requireObjectType(value: string | undefined): ObjectTypeName {
  const type = resolveObjectType(value ?? '');
  if (type === undefined) {
    throw createApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${value}`);
  }
  return type;
}

/** Finds a record by id or by `idProperty`, answering 404 like HubSpot when there is none. */
export function requireRecord(
  portal: Portal,
  type: ObjectTypeName,
  id: string,
  idProperty?: string,
): CrmRecord {
  const property = idProperty ?? 'hs_object_id';
  if (!isUniqueProperty(portal, type, property)) {
    throw createValidationError(`${property} is not a unique property and cannot be used as idProperty`);
  }
  const record = findByProperty(portal, type, property, id);
  if (record === undefined) throw createNotFoundError(id);
  return record;
}

/**
 * Applies `associations` from a create input (`[{to:{id}, types:[{associationCategory, associationTypeId}]}]`).
 * The target object type follows from the association type id.
 */
export function applyCreateAssociations(
  portal: Portal,
  type: ObjectTypeName,
  record: CrmRecord,
  associations: unknown,
): void {
  if (!Array.isArray(associations)) return;
  for (const association of associations as Array<Record<string, unknown>>) {
    const toId = String((association['to'] as Record<string, unknown> | undefined)?.['id'] ?? '');
    const types = Array.isArray(association['types'])
      ? (association['types'] as Array<Record<string, unknown>>)
      : [];
    for (const spec of types) {
      const typeId = Number(spec['associationTypeId']);
      const known = findHubSpotType(typeId);
      if (known === undefined || known.from !== type || !objectExists(portal, known.to, toId)) {
        throw createValidationError(
          `Invalid association: type ${typeId} from ${type} to object ${toId} does not exist.`,
        );
      }
      addAssociation(portal, {
        fromType: type,
        fromId: record.id,
        toType: known.to,
        toId,
        typeId,
        category: 'HUBSPOT_DEFINED',
      });
    }
  }
}

function createObject(ctx: RouteContext): ReturnType<Route['handle']> {
  const type = requireObjectType(ctx.req.params['type']);
  const body = readJsonBody(ctx.req);
  const properties = normalizeProperties(ctx.portal, type, body['properties']);
  const conflict = findUniqueConflict(ctx.portal, type, properties);
  if (conflict !== undefined) throw conflict;
  const record = createRecord(ctx.portal, type, properties, ctx.now);
  try {
    applyCreateAssociations(ctx.portal, type, record, body['associations']);
  } catch (error) {
    discardRecords(ctx.portal, type, [record.id]);
    throw error;
  }
  return { status: 201, body: serializeRecord(record, type, 'written') };
}

function getObject(ctx: RouteContext): ReturnType<Route['handle']> {
  const type = requireObjectType(ctx.req.params['type']);
  const idProperty = ctx.req.query.get('idProperty') ?? undefined;
  const record = requireRecord(ctx.portal, type, ctx.req.params['id'] ?? '', idProperty);
  const requested = readRequestedProperties(ctx.req.query.getAll('properties'));
  const body = serializeRecord(record, type, requested);
  const wanted = ctx.req.query.getAll('associations').flatMap((value) => value.split(','));
  if (wanted.length > 0) body['associations'] = describeV3Associations(ctx.portal, type, record.id, wanted);
  return { status: 200, body };
}

/** The v3 `associations` of a read: `{ deals: { results: [{ id, type: 'contact_to_deal' }] } }`. */
function describeV3Associations(portal: Portal, type: ObjectTypeName, id: string, wanted: string[]) {
  const result: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const name of wanted) {
    const toType = resolveObjectType(name.trim());
    if (toType === undefined) continue;
    const results = listAssociations(portal, type, id, toType).map((view) => ({
      id: view.toObjectId,
      type: `${OBJECT_TYPES[type].singular}_to_${OBJECT_TYPES[toType].singular}`,
    }));
    if (results.length > 0) result[toType] = { results };
  }
  return result;
}

function updateObject(ctx: RouteContext): ReturnType<Route['handle']> {
  const type = requireObjectType(ctx.req.params['type']);
  const idProperty = ctx.req.query.get('idProperty') ?? undefined;
  const record = requireRecord(ctx.portal, type, ctx.req.params['id'] ?? '', idProperty);
  const properties = normalizeProperties(ctx.portal, type, readJsonBody(ctx.req)['properties']);
  const conflict = findUniqueConflict(ctx.portal, type, properties, record.id);
  if (conflict !== undefined) throw conflict;
  updateRecord(ctx.portal, type, record, properties, ctx.now);
  return { status: 200, body: serializeRecord(record, type, 'written') };
}

function archiveObject(ctx: RouteContext): ReturnType<Route['handle']> {
  const type = requireObjectType(ctx.req.params['type']);
  const record = getObjects(ctx.portal, type).get(ctx.req.params['id'] ?? '');
  // HubSpot answers 204 even when the record does not exist.
  if (record !== undefined) {
    record.archived = true;
    record.updatedAt = ctx.now;
  }
  return { status: 204 };
}

function listObjects(ctx: RouteContext): ReturnType<Route['handle']> {
  const type = requireObjectType(ctx.req.params['type']);
  const limit = Math.min(Number(ctx.req.query.get('limit') ?? 10) || 10, 100);
  const after = Number(ctx.req.query.get('after') ?? 0) || 0;
  const requested = readRequestedProperties(ctx.req.query.getAll('properties'));
  const live = [...getObjects(ctx.portal, type).values()].filter((record) => !record.archived);
  const page = live.filter((record) => Number(record.id) > after).slice(0, limit);
  const last = page[page.length - 1];
  const hasMore = last !== undefined && live.some((record) => Number(record.id) > Number(last.id));
  return {
    status: 200,
    body: {
      results: page.map((record) => serializeRecord(record, type, requested)),
      ...(hasMore ? { paging: { next: { after: last.id } } } : {}),
    },
  };
}

export const objectRoutes: Route[] = [
  { method: 'POST', pattern: '/crm/v3/objects/:type', auth: 'token', handle: createObject },
  { method: 'GET', pattern: '/crm/v3/objects/:type', auth: 'token', handle: listObjects },
  { method: 'GET', pattern: '/crm/v3/objects/:type/:id', auth: 'token', handle: getObject },
  { method: 'PATCH', pattern: '/crm/v3/objects/:type/:id', auth: 'token', handle: updateObject },
  { method: 'DELETE', pattern: '/crm/v3/objects/:type/:id', auth: 'token', handle: archiveObject },
];
