import type { Ledger } from './store.js';

/** Applies `expand[]=field` (and `data.field` on lists) by replacing ids with their objects. */
export function expandFields(body: unknown, paths: readonly string[], ledger: Ledger): unknown {
  if (paths.length === 0 || body === null || typeof body !== 'object') return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) expandPath(copy, path.split('.'), ledger);
  return copy;
}

function expandPath(target: Record<string, unknown>, [field, ...rest]: string[], ledger: Ledger): void {
  if (field === undefined) return;
  const value = target[field];
  if (field === 'data' && Array.isArray(value)) {
    for (const item of value)
      if (item && typeof item === 'object') expandPath(item as Record<string, unknown>, rest, ledger);
    return;
  }
  if (typeof value === 'string') {
    const found = ledger.find(value);
    if (found) target[field] = structuredClone(found);
  }
  const next = target[field];
  if (rest.length > 0 && next && typeof next === 'object')
    expandPath(next as Record<string, unknown>, rest, ledger);
}
