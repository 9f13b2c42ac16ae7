import type { StripeObject } from './store.js';

/**
 * Objects grouped by the value of one field (customers by email, ...), each group in creation
 * order like the ledger's own maps, so a filtered list reads one group instead of every object.
 * The owner calls `add` when it creates an object and `regroup` after it changes the field.
 */
export class GroupIndex<T extends StripeObject> {
  private readonly groups = new Map<string, T[]>();
  /** Creation order by id, to put an object that moves into a group back in its place. */
  private readonly rank = new Map<string, number>();

  add(item: T, key: string | null): void {
    this.rank.set(item.id, this.rank.size);
    if (key === null) return;
    const group = this.groups.get(key);
    if (group) group.push(item);
    else this.groups.set(key, [item]);
  }

  regroup(item: T, previousKey: string | null, key: string | null): void {
    if (key === previousKey) return;
    if (previousKey !== null) this.remove(item, previousKey);
    if (key !== null) this.insertInOrder(item, key);
  }

  /** The group's objects, oldest first; never modify the array. */
  get(key: string): readonly T[] {
    return this.groups.get(key) ?? [];
  }

  private remove(item: T, key: string): void {
    const group = this.groups.get(key) ?? [];
    const at = group.indexOf(item);
    if (at !== -1) group.splice(at, 1);
    if (group.length === 0) this.groups.delete(key);
  }

  private insertInOrder(item: T, key: string): void {
    const group = this.groups.get(key) ?? [];
    this.groups.set(key, group);
    const rank = this.rankOf(item);
    let low = 0;
    let high = group.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.rankOf(group[middle] as T) < rank) low = middle + 1;
      else high = middle;
    }
    group.splice(low, 0, item);
  }

  private rankOf(item: T): number {
    return this.rank.get(item.id) ?? Number.MAX_SAFE_INTEGER;
  }
}
