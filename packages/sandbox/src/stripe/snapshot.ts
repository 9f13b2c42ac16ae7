/**
 * A point-in-time view of a stored object for an event's `data.object`, made without a deep copy.
 * The top level is copied; nested objects and arrays are shared with the stored object and frozen.
 * Sharing is safe because handlers replace nested values (`metadata`, `address`, ...) instead of
 * editing them, and freezing turns any in-place edit into a TypeError in the tests instead of a
 * silent rewrite of an event that was already published. (Freezing the copy itself would cost more
 * than the copy: nothing but the event holds it.)
 */
export function snapshotOf<T extends object>(object: T): T {
  const copy = { ...object };
  for (const key in copy) freezeDeep(copy[key]);
  return copy;
}

function freezeDeep(value: unknown): void {
  // A frozen value was frozen here before, with everything under it: stored objects share parts.
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key in value) freezeDeep((value as Record<string, unknown>)[key]);
}

/**
 * `value`, frozen all the way down: for the nested parts every object of a kind starts with
 * (`preferred_locales: []`...), shared between them instead of made and frozen once per object.
 */
export function frozenPart<T>(value: T): T {
  freezeDeep(value);
  return value;
}
