import { createDefaultGroups, createDefaultProperties } from './default-properties.js';
import { createDefaultSettings, startOfZonedDay, type PortalSettings } from './portal-settings.js';

/** The CRM object types the sandbox stores, by their v3 path name. */
export type ObjectTypeName = 'contacts' | 'companies' | 'deals' | 'line_items' | 'products';

interface ObjectTypeInfo {
  typeId: string;
  singular: string;
}

export const OBJECT_TYPES: Record<ObjectTypeName, ObjectTypeInfo> = {
  contacts: { typeId: '0-1', singular: 'contact' },
  companies: { typeId: '0-2', singular: 'company' },
  deals: { typeId: '0-3', singular: 'deal' },
  line_items: { typeId: '0-8', singular: 'line_item' },
  products: { typeId: '0-7', singular: 'product' },
};

/** HubSpot accepts `contacts`, `contact`, `CONTACT` or the type id `0-1` wherever an object type goes. */
export function resolveObjectType(segment: string): ObjectTypeName | undefined {
  const wanted = segment.toLowerCase();
  for (const [name, info] of Object.entries(OBJECT_TYPES) as Array<[ObjectTypeName, ObjectTypeInfo]>) {
    if (wanted === name || wanted === info.singular || wanted === info.typeId) return name;
  }
  return undefined;
}

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: Array<{
    label: string;
    value: string;
    displayOrder?: number;
    hidden: boolean;
    description?: string;
  }>;
  hasUniqueValue: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  hidden: boolean;
  calculated: boolean;
  externalOptions: boolean;
  displayOrder: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** One association as it was created (from → to); reads from the other side use the inverse type. */
export interface AssociationEdge {
  fromType: ObjectTypeName;
  fromId: string;
  toType: ObjectTypeName;
  toId: string;
  typeId: number;
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
}

export interface FormDefinition {
  formGuid: string;
  name: string;
  /** Every HubSpot form has fields; submissions naming others, or lacking a required one, are refused. */
  fields: Array<{ name: string; required: boolean; hidden: boolean }>;
  inlineMessage?: string;
  redirectUri?: string;
}

export interface FormSubmission {
  formGuid: string;
  /** HubSpot's id of the submission, as the form submissions API lists it. */
  conversionId: string;
  fields: Array<{ objectTypeId?: string; name: string; value: string }>;
  context?: Record<string, unknown>;
  legalConsentOptions?: unknown;
  submittedAt: number;
  /** Whether it came through the authenticated `secure` endpoint. */
  secure: boolean;
}

/** property name → value → ids of records holding it; keeps lookups by email or unique value O(1). */
export type ValueIndex = Map<string, Map<string, Set<string>>>;

export interface Portal {
  id: number;
  nextObjectId: number;
  objects: Map<ObjectTypeName, Map<string, CrmRecord>>;
  valueIndex: Map<ObjectTypeName, ValueIndex>;
  properties: Map<ObjectTypeName, Map<string, PropertyDefinition>>;
  groups: Map<ObjectTypeName, Map<string, PropertyGroup>>;
  associations: AssociationEdge[];
  forms: Map<string, FormDefinition>;
  submissions: FormSubmission[];
  settings: PortalSettings;
  /** Calls today, the day starting at midnight in the account's time zone. */
  daily: { dayStart: number; count: number };
  dailyExhaustedUntil?: number;
}

export interface TokenRecord {
  token: string;
  portalId: number;
  kind: 'private' | 'oauth';
  /** Rate limits are counted per app in a portal: the private app, or the OAuth app's client id. */
  appKey: string;
  appId: number;
  scopes: string[];
  /** OAuth tokens expire by the clock; private-app tokens only through `expireToken`. */
  expiresAt?: number;
}

export function createPortalState(id: number, now: number): Portal {
  const objects = new Map<ObjectTypeName, Map<string, CrmRecord>>();
  const valueIndex = new Map<ObjectTypeName, ValueIndex>();
  const properties = new Map<ObjectTypeName, Map<string, PropertyDefinition>>();
  const groups = new Map<ObjectTypeName, Map<string, PropertyGroup>>();
  const settings = createDefaultSettings();
  for (const type of Object.keys(OBJECT_TYPES) as ObjectTypeName[]) {
    objects.set(type, new Map());
    valueIndex.set(type, new Map());
    properties.set(type, createDefaultProperties(type, now));
    groups.set(type, createDefaultGroups(type));
  }
  return {
    id,
    nextObjectId: 1001,
    objects,
    valueIndex,
    properties,
    groups,
    associations: [],
    forms: new Map(),
    submissions: [],
    settings,
    daily: { dayStart: startOfZonedDay(now, settings.timeZone), count: 0 },
  };
}

export function getObjects(portal: Portal, type: ObjectTypeName): Map<string, CrmRecord> {
  return portal.objects.get(type) as Map<string, CrmRecord>;
}

export function getProperties(portal: Portal, type: ObjectTypeName): Map<string, PropertyDefinition> {
  return portal.properties.get(type) as Map<string, PropertyDefinition>;
}
