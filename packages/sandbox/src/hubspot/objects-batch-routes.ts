import type { Route, RouteContext } from './core.js';
import { createBatchError, createBatchReply } from './batch-kit.js';
import { createValidationError, readJsonBody, type HubSpotReply } from './http-kit.js';
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
import { applyCreateAssociations, requireObjectType } from './objects-routes.js';
import { getObjects, OBJECT_TYPES, type ObjectTypeName } from './state.js';

/** HubSpot's limit on inputs per CRM object batch call. */
export const MAX_BATCH_INPUTS = 100;

type Input = Record<string, unknown>;

function readInputs(ctx: RouteContext): { body: Record<string, unknown>; inputs: Input[] } {
  const body = readJsonBody(ctx.req);
  const inputs = body['inputs'];
  if (!Array.isArray(inputs)) throw createValidationError('Invalid input JSON: inputs must be an array');
  if (inputs.length > MAX_BATCH_INPUTS) {
    throw createValidationError(
      `Batch input size exceeds the limit: received ${inputs.length} inputs, the maximum is ${MAX_BATCH_INPUTS}.`,
      { context: { inputs: [String(inputs.length)] } },
    );
  }
  return { body, inputs: inputs as Input[] };
}

function notFoundError(type: ObjectTypeName, ids: string[]): unknown {
  return createBatchError(
    'OBJECT_NOT_FOUND',
    `Could not get some ${OBJECT_TYPES[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    { ids },
  );
}

function batchCreate(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  const { inputs } = readInputs(ctx);
  const prepared = inputs.map((input) => normalizeProperties(ctx.portal, type, input['properties']));
  // HubSpot rejects the whole batch when one input collides with a record or with another input.
  const created: string[] = [];
  try {
    const records = prepared.map((properties, index) => {
      const conflict = findUniqueConflict(ctx.portal, type, properties);
      if (conflict !== undefined) throw conflict;
      const record = createRecord(ctx.portal, type, properties, ctx.now);
      created.push(record.id);
      applyCreateAssociations(ctx.portal, type, record, inputs[index]?.['associations']);
      return record;
    });
    return createBatchReply(
      ctx,
      records.map((record) => serializeRecord(record, type, 'written')),
      [],
      201,
    );
  } catch (error) {
    discardRecords(ctx.portal, type, created);
    throw error;
  }
}

function batchRead(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  const { body, inputs } = readInputs(ctx);
  const idProperty = typeof body['idProperty'] === 'string' ? body['idProperty'] : 'hs_object_id';
  if (!isUniqueProperty(ctx.portal, type, idProperty)) {
    throw createValidationError(`${idProperty} is not a unique property and cannot be used as idProperty`);
  }
  const requested = readRequestedProperties(body['properties']);
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = String(input['id'] ?? '');
    const record = findByProperty(ctx.portal, type, idProperty, id);
    if (record === undefined) missing.push(id);
    else results.push(serializeRecord(record, type, requested));
  }
  return createBatchReply(ctx, results, missing.length > 0 ? [notFoundError(type, missing)] : [], 200);
}

function batchUpdate(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  const { inputs } = readInputs(ctx);
  const prepared = inputs.map((input) => normalizeProperties(ctx.portal, type, input['properties']));
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const missing: string[] = [];
  inputs.forEach((input, index) => {
    const idProperty = typeof input['idProperty'] === 'string' ? input['idProperty'] : 'hs_object_id';
    const id = String(input['id'] ?? '');
    const record = findByProperty(ctx.portal, type, idProperty, id);
    if (record === undefined) return void missing.push(id);
    const properties = prepared[index] ?? {};
    const conflict = findUniqueConflict(ctx.portal, type, properties, record.id);
    if (conflict !== undefined)
      return void errors.push({ ...conflict.body, status: 'error', errors: [], links: {} });
    results.push(
      serializeRecord(updateRecord(ctx.portal, type, record, properties, ctx.now), type, 'written'),
    );
  });
  if (missing.length > 0) errors.push(notFoundError(type, missing));
  return createBatchReply(ctx, results, errors, 200);
}

function batchUpsert(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  const { inputs } = readInputs(ctx);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const prepared = inputs.map((input) => {
    const idProperty = typeof input['idProperty'] === 'string' ? input['idProperty'] : 'hs_object_id';
    if (!isUniqueProperty(ctx.portal, type, idProperty)) {
      throw createValidationError(`${idProperty} is not a unique property and cannot be used as idProperty`);
    }
    const rawId = String(input['id'] ?? '');
    const id = type === 'contacts' && idProperty === 'email' ? rawId.trim().toLowerCase() : rawId;
    if (seen.has(`${idProperty}:${id}`)) duplicates.push(id);
    seen.add(`${idProperty}:${id}`);
    return { idProperty, id, properties: normalizeProperties(ctx.portal, type, input['properties']) };
  });
  if (duplicates.length > 0) {
    throw createValidationError(
      `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`,
    );
  }
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const missing: string[] = [];
  for (const { idProperty, id, properties } of prepared) {
    const existing = findByProperty(ctx.portal, type, idProperty, id);
    if (existing === undefined && idProperty === 'hs_object_id') {
      missing.push(id);
      continue;
    }
    const values = existing === undefined ? { ...properties, [idProperty]: id } : properties;
    const conflict = findUniqueConflict(ctx.portal, type, values, existing?.id);
    if (conflict !== undefined) {
      errors.push({ ...conflict.body, status: 'error', errors: [], links: {} });
      continue;
    }
    const record =
      existing === undefined
        ? createRecord(ctx.portal, type, values, ctx.now)
        : updateRecord(ctx.portal, type, existing, values, ctx.now);
    results.push({ ...serializeRecord(record, type, 'written'), new: existing === undefined });
  }
  if (missing.length > 0) errors.push(notFoundError(type, missing));
  return createBatchReply(ctx, results, errors, 200);
}

function batchArchive(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['type']);
  for (const input of readInputs(ctx).inputs) {
    const record = getObjects(ctx.portal, type).get(String(input['id'] ?? ''));
    if (record !== undefined) record.archived = true;
  }
  return { status: 204 };
}

export const objectBatchRoutes: Route[] = [
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/create', auth: 'token', handle: batchCreate },
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/read', auth: 'token', handle: batchRead },
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/update', auth: 'token', handle: batchUpdate },
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/upsert', auth: 'token', handle: batchUpsert },
  { method: 'POST', pattern: '/crm/v3/objects/:type/batch/archive', auth: 'token', handle: batchArchive },
];
