import { getObjects, type AssociationEdge, type ObjectTypeName, type Portal } from './state.js';

interface AssociationType {
  typeId: number;
  from: ObjectTypeName;
  to: ObjectTypeName;
  inverse: number;
  label?: string;
}

/** HubSpot-defined association type ids (the unlabeled defaults and the primary-company ones). */
const HUBSPOT_DEFINED: AssociationType[] = [
  { typeId: 279, from: 'contacts', to: 'companies', inverse: 280 },
  { typeId: 280, from: 'companies', to: 'contacts', inverse: 279 },
  { typeId: 1, from: 'contacts', to: 'companies', inverse: 2, label: 'Primary' },
  { typeId: 2, from: 'companies', to: 'contacts', inverse: 1, label: 'Primary' },
  { typeId: 3, from: 'deals', to: 'contacts', inverse: 4 },
  { typeId: 4, from: 'contacts', to: 'deals', inverse: 3 },
  { typeId: 341, from: 'deals', to: 'companies', inverse: 342 },
  { typeId: 342, from: 'companies', to: 'deals', inverse: 341 },
  { typeId: 5, from: 'deals', to: 'companies', inverse: 6, label: 'Primary' },
  { typeId: 6, from: 'companies', to: 'deals', inverse: 5, label: 'Primary' },
  { typeId: 19, from: 'deals', to: 'line_items', inverse: 20 },
  { typeId: 20, from: 'line_items', to: 'deals', inverse: 19 },
];

const DEFAULT_BY_PAIR = new Map<string, number>([
  ['contacts>companies', 279],
  ['companies>contacts', 280],
  ['deals>contacts', 3],
  ['contacts>deals', 4],
  ['deals>companies', 341],
  ['companies>deals', 342],
  ['deals>line_items', 19],
  ['line_items>deals', 20],
]);

export function findDefaultTypeId(from: ObjectTypeName, to: ObjectTypeName): number | undefined {
  return DEFAULT_BY_PAIR.get(`${from}>${to}`);
}

/** The HubSpot-defined type with this id, if any. */
export function findHubSpotType(typeId: number): AssociationType | undefined {
  return HUBSPOT_DEFINED.find((type) => type.typeId === typeId);
}

export function objectExists(portal: Portal, type: ObjectTypeName, id: string): boolean {
  return getObjects(portal, type).get(id)?.archived === false;
}

/**
 * Keys of the edges in each associations array, built on first use. Edges are only ever added
 * through addAssociation (which keeps the set in step) or removed by replacing the array, which
 * starts a fresh set, so a portal with many thousands of edges checks a new one in O(1).
 */
const edgeKeys = new WeakMap<AssociationEdge[], Set<string>>();

function edgeKey(fromType: string, fromId: string, toType: string, toId: string, typeId: number): string {
  return `${fromType}:${fromId}>${toType}:${toId}#${typeId}`;
}

function keysOf(edges: AssociationEdge[]): Set<string> {
  let keys = edgeKeys.get(edges);
  if (keys === undefined) {
    keys = new Set(
      edges.map((edge) => edgeKey(edge.fromType, edge.fromId, edge.toType, edge.toId, edge.typeId)),
    );
    edgeKeys.set(edges, keys);
  }
  return keys;
}

/** Records an association once; creating the same one again is a no-op, as in HubSpot. */
export function addAssociation(portal: Portal, edge: AssociationEdge): void {
  const keys = keysOf(portal.associations);
  const exists =
    keys.has(edgeKey(edge.fromType, edge.fromId, edge.toType, edge.toId, edge.typeId)) ||
    keys.has(edgeKey(edge.toType, edge.toId, edge.fromType, edge.fromId, inverseTypeId(edge)));
  if (exists) return;
  portal.associations.push(edge);
  keys.add(edgeKey(edge.fromType, edge.fromId, edge.toType, edge.toId, edge.typeId));
}

function sameEdge(a: AssociationEdge, b: AssociationEdge): boolean {
  return a.fromType === b.fromType && a.fromId === b.fromId && a.toType === b.toType && a.toId === b.toId;
}

function isReverse(a: AssociationEdge, b: AssociationEdge): boolean {
  return a.fromType === b.toType && a.fromId === b.toId && a.toType === b.fromType && a.toId === b.fromId;
}

function inverseTypeId(edge: AssociationEdge): number {
  if (edge.category !== 'HUBSPOT_DEFINED') return edge.typeId;
  return findHubSpotType(edge.typeId)?.inverse ?? edge.typeId;
}

export interface AssociationView {
  toObjectId: string;
  associationTypes: Array<{ category: string; typeId: number; label: string | null }>;
}

/** Every association of one record to records of `toType`, seen from that record's side. */
export function listAssociations(
  portal: Portal,
  fromType: ObjectTypeName,
  fromId: string,
  toType: ObjectTypeName,
): AssociationView[] {
  const byTarget = new Map<string, AssociationView>();
  const add = (toId: string, category: string, typeId: number): void => {
    if (!objectExists(portal, toType, toId)) return;
    const view = byTarget.get(toId) ?? { toObjectId: toId, associationTypes: [] };
    if (!view.associationTypes.some((type) => type.typeId === typeId && type.category === category)) {
      const label = category === 'HUBSPOT_DEFINED' ? (findHubSpotType(typeId)?.label ?? null) : null;
      view.associationTypes.push({ category, typeId, label });
    }
    byTarget.set(toId, view);
  };
  for (const edge of portal.associations) {
    if (edge.fromType === fromType && edge.fromId === fromId && edge.toType === toType) {
      add(edge.toId, edge.category, edge.typeId);
    } else if (edge.toType === fromType && edge.toId === fromId && edge.fromType === toType) {
      add(edge.fromId, edge.category, inverseTypeId(edge));
    }
  }
  return [...byTarget.values()];
}

/** Removes every association between two records (v4 `DELETE` and batch archive). */
export function removeAssociations(
  portal: Portal,
  fromType: ObjectTypeName,
  fromId: string,
  toType: ObjectTypeName,
  toId: string,
): void {
  const probe: AssociationEdge = { fromType, fromId, toType, toId, typeId: 0, category: 'HUBSPOT_DEFINED' };
  portal.associations = portal.associations.filter(
    (edge) => !sameEdge(edge, probe) && !isReverse(edge, probe),
  );
}
