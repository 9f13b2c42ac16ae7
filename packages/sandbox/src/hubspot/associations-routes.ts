import {
  addAssociation,
  findDefaultTypeId,
  findHubSpotType,
  listAssociations,
  objectExists,
  removeAssociations,
} from './association-store.js';
import type { Route, RouteContext } from './core.js';
import { createBatchError, createBatchReply } from './batch-kit.js';
import { createNotFoundError, createValidationError, readJsonBody, type HubSpotReply } from './http-kit.js';
import { requireObjectType } from './objects-routes.js';
import { OBJECT_TYPES, type AssociationEdge, type ObjectTypeName, type Portal } from './state.js';

const MAX_ASSOCIATION_INPUTS = 2000;
const CATEGORIES = new Set(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']);

type Spec = { associationCategory?: unknown; associationTypeId?: unknown };

/** Checks one association spec against the pair of object types; returns a problem or the edge. */
function buildEdge(
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
  toId: string,
  spec: Spec,
): AssociationEdge | string {
  const category = String(spec.associationCategory ?? '');
  const typeId = Number(spec.associationTypeId);
  if (!CATEGORIES.has(category) || !Number.isInteger(typeId)) {
    return `Invalid association spec ${JSON.stringify(spec)}`;
  }
  if (category === 'HUBSPOT_DEFINED') {
    const known = findHubSpotType(typeId);
    if (known === undefined || known.from !== from || known.to !== to) {
      return `${typeId} is not a valid HUBSPOT_DEFINED association type from ${OBJECT_TYPES[from].singular} to ${OBJECT_TYPES[to].singular}`;
    }
  }
  return {
    fromType: from,
    fromId,
    toType: to,
    toId,
    typeId,
    category: category as AssociationEdge['category'],
  };
}

function requireDefaultTypeId(from: ObjectTypeName, to: ObjectTypeName): number {
  const typeId = findDefaultTypeId(from, to);
  if (typeId === undefined) {
    throw createValidationError(
      `There is no default association type from ${OBJECT_TYPES[from].singular} to ${OBJECT_TYPES[to].singular}`,
    );
  }
  return typeId;
}

/** Creates the default association both ways and describes both, as HubSpot's answer does. */
function associateDefault(
  portal: Portal,
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
  toId: string,
) {
  const typeId = requireDefaultTypeId(from, to);
  addAssociation(portal, { fromType: from, fromId, toType: to, toId, typeId, category: 'HUBSPOT_DEFINED' });
  const inverse = findHubSpotType(typeId)?.inverse ?? typeId;
  return [
    {
      from: { id: fromId },
      to: { id: toId },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
    },
    {
      from: { id: toId },
      to: { id: fromId },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: inverse },
    },
  ];
}

/** `LabelsBetweenObjectPair`; HubSpot sends the ids in it as numbers despite the client's `string` type. */
function describePair(
  portal: Portal,
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
  toId: string,
) {
  const view = listAssociations(portal, from, fromId, to).find((item) => item.toObjectId === toId);
  return {
    fromObjectTypeId: OBJECT_TYPES[from].typeId,
    fromObjectId: Number(fromId),
    toObjectTypeId: OBJECT_TYPES[to].typeId,
    toObjectId: Number(toId),
    labels: (view?.associationTypes ?? []).flatMap((type) => (type.label === null ? [] : [type.label])),
  };
}

function readPath(ctx: RouteContext) {
  const from = requireObjectType(ctx.req.params['fromType']);
  const to = requireObjectType(ctx.req.params['toType']);
  const fromId = ctx.req.params['fromId'] ?? '';
  const toId = ctx.req.params['toId'] ?? '';
  return { from, to, fromId, toId };
}

function putDefault(ctx: RouteContext): HubSpotReply {
  const { from, to, fromId, toId } = readPath(ctx);
  if (!objectExists(ctx.portal, from, fromId)) throw createNotFoundError(fromId);
  if (!objectExists(ctx.portal, to, toId)) throw createNotFoundError(toId);
  return createBatchReply(ctx, associateDefault(ctx.portal, from, fromId, to, toId), [], 200);
}

function putLabelled(ctx: RouteContext): HubSpotReply {
  const { from, to, fromId, toId } = readPath(ctx);
  const body: unknown = readJsonBody(ctx.req);
  if (!Array.isArray(body) || body.length === 0)
    throw createValidationError('Body must be a list of association specs');
  if (!objectExists(ctx.portal, from, fromId)) throw createNotFoundError(fromId);
  if (!objectExists(ctx.portal, to, toId)) throw createNotFoundError(toId);
  const edges = (body as Spec[]).map((spec) => buildEdge(from, fromId, to, toId, spec));
  const problem = edges.find((edge): edge is string => typeof edge === 'string');
  if (problem !== undefined) throw createValidationError(problem);
  for (const edge of edges as AssociationEdge[]) addAssociation(ctx.portal, edge);
  return { status: 201, body: describePair(ctx.portal, from, fromId, to, toId) };
}

function deletePair(ctx: RouteContext): HubSpotReply {
  const { from, to, fromId, toId } = readPath(ctx);
  removeAssociations(ctx.portal, from, fromId, to, toId);
  return { status: 204 };
}

function getPage(ctx: RouteContext): HubSpotReply {
  const { from, to, fromId } = readPath(ctx);
  const results = listAssociations(ctx.portal, from, fromId, to).map((view) => ({
    ...view,
    toObjectId: Number(view.toObjectId),
  }));
  return { status: 200, body: { results } };
}

function readBatchInputs(ctx: RouteContext, max: number): Array<Record<string, unknown>> {
  const inputs = readJsonBody(ctx.req)['inputs'];
  if (!Array.isArray(inputs)) throw createValidationError('Invalid input JSON: inputs must be an array');
  if (inputs.length > max) {
    throw createValidationError(
      `Batch input size exceeds the limit: received ${inputs.length}, the maximum is ${max}.`,
    );
  }
  return inputs as Array<Record<string, unknown>>;
}

function idOf(value: unknown): string {
  return String((value as { id?: unknown } | undefined)?.id ?? '');
}

/**
 * The batch's inputs whose two objects exist; each input naming a missing object becomes a batch
 * error, as HubSpot reports it, and is left out.
 */
function existingPairs(ctx: RouteContext, from: ObjectTypeName, to: ObjectTypeName, errors: unknown[]) {
  const pairs: Array<{ input: Record<string, unknown>; fromId: string; toId: string }> = [];
  for (const input of readBatchInputs(ctx, MAX_ASSOCIATION_INPUTS)) {
    const fromId = idOf(input['from']);
    const toId = idOf(input['to']);
    if (objectExists(ctx.portal, from, fromId) && objectExists(ctx.portal, to, toId)) {
      pairs.push({ input, fromId, toId });
      continue;
    }
    errors.push(
      createBatchError('VALIDATION_ERROR', `One or more objects do not exist: ${fromId}, ${toId}`, {}),
    );
  }
  return pairs;
}

function batchCreate(ctx: RouteContext): HubSpotReply {
  const { from, to } = readPath(ctx);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const { input, fromId, toId } of existingPairs(ctx, from, to, errors)) {
    const specs = Array.isArray(input['types']) ? (input['types'] as Spec[]) : [];
    const edges = specs.map((spec) => buildEdge(from, fromId, to, toId, spec));
    const problem =
      specs.length === 0 ? 'types must not be empty' : edges.find((edge) => typeof edge === 'string');
    if (typeof problem === 'string') {
      errors.push(createBatchError('VALIDATION_ERROR', problem, {}));
      continue;
    }
    for (const edge of edges as AssociationEdge[]) addAssociation(ctx.portal, edge);
    results.push(describePair(ctx.portal, from, fromId, to, toId));
  }
  return createBatchReply(ctx, results, errors, 201);
}

function batchDefault(ctx: RouteContext): HubSpotReply {
  const { from, to } = readPath(ctx);
  requireDefaultTypeId(from, to);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const { fromId, toId } of existingPairs(ctx, from, to, errors)) {
    results.push(...associateDefault(ctx.portal, from, fromId, to, toId));
  }
  return createBatchReply(ctx, results, errors, 200, 'ok');
}

function batchRead(ctx: RouteContext): HubSpotReply {
  const { from, to } = readPath(ctx);
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of readBatchInputs(ctx, 1000)) {
    const id = String(input['id'] ?? '');
    const views = objectExists(ctx.portal, from, id) ? listAssociations(ctx.portal, from, id, to) : [];
    if (views.length === 0) missing.push(id);
    else
      results.push({
        from: { id },
        to: views.map((view) => ({ ...view, toObjectId: Number(view.toObjectId) })),
      });
  }
  const errors =
    missing.length > 0
      ? [
          createBatchError(
            'OBJECT_NOT_FOUND',
            `No ${OBJECT_TYPES[to].singular} associations found for ${OBJECT_TYPES[from].singular} ids`,
            { fromIds: missing },
          ),
        ]
      : [];
  return createBatchReply(ctx, results, errors, 200);
}

const OBJECT_PATH = '/crm/v4/objects/:fromType/:fromId/associations';
const BATCH_PATH = '/crm/v4/associations/:fromType/:toType/batch';

export const associationRoutes: Route[] = [
  { method: 'PUT', pattern: `${OBJECT_PATH}/default/:toType/:toId`, auth: 'token', handle: putDefault },
  { method: 'PUT', pattern: `${OBJECT_PATH}/:toType/:toId`, auth: 'token', handle: putLabelled },
  { method: 'DELETE', pattern: `${OBJECT_PATH}/:toType/:toId`, auth: 'token', handle: deletePair },
  { method: 'GET', pattern: `${OBJECT_PATH}/:toType`, auth: 'token', handle: getPage },
  { method: 'POST', pattern: `${BATCH_PATH}/create`, auth: 'token', handle: batchCreate },
  { method: 'POST', pattern: `${BATCH_PATH}/associate/default`, auth: 'token', handle: batchDefault },
  { method: 'POST', pattern: `${BATCH_PATH}/read`, auth: 'token', handle: batchRead },
];
