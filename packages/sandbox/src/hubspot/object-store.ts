import { DEFAULT_READ_PROPERTIES } from './default-properties.js';
import { describeOptions, isOption } from './enumeration-options.js';
import { createApiError, createValidationError, toIso, type HubSpotHttpError } from './http-kit.js';
import {
  OBJECT_TYPES,
  getObjects,
  getProperties,
  type CrmRecord,
  type ObjectTypeName,
  type Portal,
  type ValueIndex,
} from './state.js';

/** Properties HubSpot computes itself; writing them is a validation error. */
const READ_ONLY = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface InvalidProperty {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/** Checks and normalises property values the way HubSpot does before any write (all strings). */
export function normalizeProperties(
  portal: Portal,
  type: ObjectTypeName,
  input: unknown,
): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw createValidationError('Invalid input JSON: properties must be an object');
  }
  const definitions = getProperties(portal, type);
  const invalid: InvalidProperty[] = [];
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const definition = definitions.get(name);
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (definition === undefined || definition.archived) {
      invalid.push(invalidProperty(name, `Property "${name}" does not exist`, 'PROPERTY_DOESNT_EXIST'));
    } else if (READ_ONLY.has(name)) {
      invalid.push(
        invalidProperty(name, `${name} is a read only property; its value cannot be set.`, 'READ_ONLY_VALUE'),
      );
    } else if (definition.type === 'number' && value !== '' && !Number.isFinite(Number(value))) {
      invalid.push(invalidProperty(name, `${value} was not a valid number.`, 'INVALID_FLOAT'));
    } else if (
      definition.type === 'enumeration' &&
      value !== '' &&
      !isOption(portal, type, definition, input, value)
    ) {
      invalid.push(
        invalidProperty(name, describeOptions(portal, type, definition, input, value), 'INVALID_OPTION'),
      );
    } else if (type === 'contacts' && name === 'email' && value !== '' && !EMAIL_PATTERN.test(value)) {
      invalid.push(invalidProperty(name, `Email address ${value} is invalid`, 'INVALID_EMAIL'));
    } else {
      // HubSpot stores email addresses lower-cased, so lookups by email ignore case.
      result[name] = type === 'contacts' && name === 'email' ? value.trim().toLowerCase() : value;
    }
  }
  if (invalid.length > 0) {
    throw createValidationError(`Property values were not valid: ${JSON.stringify(invalid)}`);
  }
  return result;
}

function invalidProperty(name: string, message: string, error: string): InvalidProperty {
  return { isValid: false, message, error, name };
}

/** Whether `name` identifies at most one record: contact email, the record id, or a unique-value property. */
export function isUniqueProperty(portal: Portal, type: ObjectTypeName, name: string): boolean {
  if (name === 'hs_object_id') return true;
  if (type === 'contacts' && name === 'email') return true;
  return getProperties(portal, type).get(name)?.hasUniqueValue === true;
}

export function findByProperty(
  portal: Portal,
  type: ObjectTypeName,
  name: string,
  value: string,
): CrmRecord | undefined {
  const objects = getObjects(portal, type);
  if (name === 'hs_object_id') {
    const record = objects.get(value);
    return record?.archived === false ? record : undefined;
  }
  const wanted = type === 'contacts' && name === 'email' ? value.trim().toLowerCase() : value;
  if (wanted === '') return undefined;
  for (const id of getValueIndex(portal, type).get(name)?.get(wanted) ?? []) {
    const record = objects.get(id);
    if (record !== undefined && !record.archived && record.properties[name] === wanted) return record;
  }
  return undefined;
}

function getValueIndex(portal: Portal, type: ObjectTypeName): ValueIndex {
  return portal.valueIndex.get(type) as ValueIndex;
}

/** Writes property values and keeps the value index in step. */
function writeValues(
  portal: Portal,
  type: ObjectTypeName,
  record: CrmRecord,
  values: Record<string, string>,
): void {
  const index = getValueIndex(portal, type);
  for (const [name, value] of Object.entries(values)) {
    const byValue = index.get(name) ?? new Map<string, Set<string>>();
    index.set(name, byValue);
    const previous = record.properties[name];
    if (previous !== undefined && previous !== null) byValue.get(previous)?.delete(record.id);
    record.properties[name] = value;
    const holders = byValue.get(value) ?? new Set<string>();
    byValue.set(value, holders.add(record.id));
  }
}

/** The 409 HubSpot answers when a write would duplicate an email or a unique-value property. */
export function findUniqueConflict(
  portal: Portal,
  type: ObjectTypeName,
  properties: Record<string, string>,
  selfId?: string,
): HubSpotHttpError | undefined {
  for (const [name, value] of Object.entries(properties)) {
    if (value === '' || name === 'hs_object_id' || !isUniqueProperty(portal, type, name)) continue;
    const existing = findByProperty(portal, type, name, value);
    if (existing === undefined || existing.id === selfId) continue;
    if (type === 'contacts' && name === 'email') {
      return createApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
    return createApiError(
      409,
      'CONFLICT',
      `A ${OBJECT_TYPES[type].singular} with the unique value "${value}" for property "${name}" already exists. Existing ID: ${existing.id}`,
      { context: { propertyName: [name], existingId: [existing.id] } },
    );
  }
  return undefined;
}

export function createRecord(
  portal: Portal,
  type: ObjectTypeName,
  properties: Record<string, string>,
  now: number,
): CrmRecord {
  const id = String(portal.nextObjectId++);
  const record: CrmRecord = {
    id,
    properties: { hs_object_id: id, createdate: toIso(now) },
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  writeValues(portal, type, record, properties);
  stampModified(record, type, now);
  getObjects(portal, type).set(id, record);
  return record;
}

/** Undoes records created by a call that then failed, with any associations they got. */
export function discardRecords(portal: Portal, type: ObjectTypeName, ids: string[]): void {
  const gone = new Set(ids);
  for (const id of ids) {
    const record = getObjects(portal, type).get(id);
    for (const [name, value] of Object.entries(record?.properties ?? {})) {
      if (value !== null) getValueIndex(portal, type).get(name)?.get(value)?.delete(id);
    }
    getObjects(portal, type).delete(id);
  }
  portal.associations = portal.associations.filter(
    (edge) =>
      !(edge.fromType === type && gone.has(edge.fromId)) && !(edge.toType === type && gone.has(edge.toId)),
  );
}

export function updateRecord(
  portal: Portal,
  type: ObjectTypeName,
  record: CrmRecord,
  properties: Record<string, string>,
  now: number,
): CrmRecord {
  writeValues(portal, type, record, properties);
  record.updatedAt = now;
  stampModified(record, type, now);
  return record;
}

function stampModified(record: CrmRecord, type: ObjectTypeName, now: number): void {
  record.properties[type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'] = toIso(now);
  if (type === 'contacts') record.properties['hs_lastmodifieddate'] = toIso(now);
}

/**
 * A record as `SimplePublicObject`. `requested` lists the properties a read asked for (missing ones come
 * back as null, as HubSpot does); `'written'` returns everything stored, as write responses do.
 */
export function serializeRecord(
  record: CrmRecord,
  type: ObjectTypeName,
  requested: string[] | 'written' | 'default',
): Record<string, unknown> {
  let properties: Record<string, string | null>;
  if (requested === 'written') {
    properties = { ...record.properties };
  } else {
    const names = requested === 'default' ? DEFAULT_READ_PROPERTIES[type] : requested;
    properties = {};
    for (const name of new Set([...names, 'hs_object_id', 'createdate', modifiedName(type)])) {
      properties[name] = record.properties[name] ?? null;
    }
  }
  return {
    id: record.id,
    properties,
    createdAt: toIso(record.createdAt),
    updatedAt: toIso(record.updatedAt),
    archived: record.archived,
  };
}

function modifiedName(type: ObjectTypeName): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** Reads the `properties` query or body list (`a,b` or repeated) into names, or `'default'`. */
export function readRequestedProperties(value: unknown): string[] | 'default' {
  const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  const names = list.flatMap((item) => item.split(',')).filter((name) => name.trim() !== '');
  return names.length > 0 ? names.map((name) => name.trim()) : 'default';
}
