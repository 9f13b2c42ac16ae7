import type { Route, RouteContext } from './core.js';
import { createApiError, createValidationError, readJsonBody, toIso, type HubSpotReply } from './http-kit.js';
import { requireObjectType } from './objects-routes.js';
import { settingsOptions } from './portal-settings.js';
import { getProperties, type ObjectTypeName, type PropertyDefinition, type PropertyGroup } from './state.js';

const TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
const FIELD_TYPES = [
  'textarea',
  'text',
  'date',
  'file',
  'number',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
  'phonenumber',
  'html',
];
const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

function serializeProperty(
  property: PropertyDefinition,
  ctx: RouteContext,
  type: ObjectTypeName,
): Record<string, unknown> {
  return {
    ...property,
    // Currencies, pipelines and stages are the account's settings, listed as the property's options.
    options: settingsOptions(ctx.portal, type, property.name) ?? property.options,
    createdAt: toIso(property.createdAt),
    updatedAt: toIso(property.updatedAt),
    modificationMetadata: {
      archivable: !property.hubspotDefined,
      readOnlyDefinition: property.hubspotDefined,
      readOnlyValue: property.name === 'hs_object_id' || property.name === 'createdate',
    },
  };
}

function requireGroups(ctx: RouteContext, type: ObjectTypeName): Map<string, PropertyGroup> {
  return ctx.portal.groups.get(type) as Map<string, PropertyGroup>;
}

function listProperties(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const archived = ctx.req.query.get('archived') === 'true';
  const results = [...getProperties(ctx.portal, type).values()].filter(
    (property) => property.archived === archived,
  );
  return {
    status: 200,
    body: { results: results.map((property) => serializeProperty(property, ctx, type)) },
  };
}

function getProperty(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const name = ctx.req.params['name'] ?? '';
  const property = getProperties(ctx.portal, type).get(name);
  if (property === undefined || property.archived) {
    throw createApiError(404, 'OBJECT_NOT_FOUND', `Property ${name} does not exist`, {
      context: { name: [name] },
    });
  }
  return { status: 200, body: serializeProperty(property, ctx, type) };
}

function createProperty(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const body = readJsonBody(ctx.req);
  const name = String(body['name'] ?? '');
  const problems: string[] = [];
  if (!NAME_PATTERN.test(name))
    problems.push(`name "${name}" must start with a letter and hold only a-z, 0-9, _`);
  if (typeof body['label'] !== 'string' || body['label'] === '') problems.push('label is required');
  if (!TYPES.includes(String(body['type']))) problems.push(`type must be one of ${TYPES.join(', ')}`);
  if (!FIELD_TYPES.includes(String(body['fieldType'])))
    problems.push(`fieldType must be one of ${FIELD_TYPES.join(', ')}`);
  const groupName = String(body['groupName'] ?? '');
  if (!requireGroups(ctx, type).has(groupName)) problems.push(`property group ${groupName} does not exist`);
  if (problems.length > 0) throw createValidationError(`Invalid input: ${problems.join('; ')}`);
  const properties = getProperties(ctx.portal, type);
  const existing = properties.get(name);
  if (existing !== undefined && !existing.archived) {
    throw createApiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, {
      context: { name: [name] },
    });
  }
  const options = Array.isArray(body['options']) ? (body['options'] as Array<Record<string, unknown>>) : [];
  const property: PropertyDefinition = {
    name,
    label: String(body['label']),
    type: String(body['type']),
    fieldType: String(body['fieldType']),
    groupName,
    description: String(body['description'] ?? ''),
    options: options.map((option, index) => ({
      label: String(option['label'] ?? option['value'] ?? ''),
      value: String(option['value'] ?? ''),
      displayOrder: Number(option['displayOrder'] ?? index),
      hidden: option['hidden'] === true,
      description: String(option['description'] ?? ''),
    })),
    hasUniqueValue: body['hasUniqueValue'] === true,
    hubspotDefined: false,
    formField: body['formField'] === true,
    hidden: body['hidden'] === true,
    calculated: false,
    externalOptions: body['externalOptions'] === true,
    displayOrder: Number(body['displayOrder'] ?? -1),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    archived: false,
  };
  properties.set(name, property);
  return { status: 201, body: serializeProperty(property, ctx, type) };
}

function updateProperty(ctx: RouteContext): HubSpotReply {
  const current = getProperty(ctx).body as Record<string, unknown>;
  const type = requireObjectType(ctx.req.params['objectType']);
  const property = getProperties(ctx.portal, type).get(String(current['name'])) as PropertyDefinition;
  const body = readJsonBody(ctx.req);
  for (const key of ['label', 'description', 'groupName', 'fieldType', 'type'] as const) {
    if (typeof body[key] === 'string') property[key] = body[key];
  }
  property.updatedAt = ctx.now;
  return { status: 200, body: serializeProperty(property, ctx, type) };
}

function archiveProperty(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const property = getProperties(ctx.portal, type).get(ctx.req.params['name'] ?? '');
  if (property !== undefined && !property.hubspotDefined) property.archived = true;
  return { status: 204 };
}

function listGroups(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  return { status: 200, body: { results: [...requireGroups(ctx, type).values()] } };
}

function getGroup(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const name = ctx.req.params['groupName'] ?? '';
  const group = requireGroups(ctx, type).get(name);
  if (group === undefined)
    throw createApiError(404, 'OBJECT_NOT_FOUND', `Property group ${name} does not exist`);
  return { status: 200, body: group };
}

function createGroup(ctx: RouteContext): HubSpotReply {
  const type = requireObjectType(ctx.req.params['objectType']);
  const body = readJsonBody(ctx.req);
  const name = String(body['name'] ?? '');
  if (!NAME_PATTERN.test(name) || typeof body['label'] !== 'string') {
    throw createValidationError('Invalid input: a property group needs a name (a-z, 0-9, _) and a label');
  }
  const groups = requireGroups(ctx, type);
  if (groups.has(name)) {
    throw createApiError(409, 'OBJECT_ALREADY_EXISTS', `Property group named '${name}' already exists.`);
  }
  const group: PropertyGroup = {
    name,
    label: body['label'],
    displayOrder: Number(body['displayOrder'] ?? -1),
    archived: false,
  };
  groups.set(name, group);
  return { status: 201, body: group };
}

export const propertyRoutes: Route[] = [
  { method: 'GET', pattern: '/crm/v3/properties/:objectType/groups', auth: 'token', handle: listGroups },
  { method: 'POST', pattern: '/crm/v3/properties/:objectType/groups', auth: 'token', handle: createGroup },
  {
    method: 'GET',
    pattern: '/crm/v3/properties/:objectType/groups/:groupName',
    auth: 'token',
    handle: getGroup,
  },
  { method: 'GET', pattern: '/crm/v3/properties/:objectType', auth: 'token', handle: listProperties },
  { method: 'POST', pattern: '/crm/v3/properties/:objectType', auth: 'token', handle: createProperty },
  { method: 'GET', pattern: '/crm/v3/properties/:objectType/:name', auth: 'token', handle: getProperty },
  { method: 'PATCH', pattern: '/crm/v3/properties/:objectType/:name', auth: 'token', handle: updateProperty },
  {
    method: 'DELETE',
    pattern: '/crm/v3/properties/:objectType/:name',
    auth: 'token',
    handle: archiveProperty,
  },
];
