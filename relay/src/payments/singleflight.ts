/**
 * Collapses concurrent calls with one key into one execution in this process: a storm of identical
 * submissions makes one database claim and one Stripe call, and every caller gets the same answer.
 * Across processes the database's unique attempt id does the same job.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, { fingerprint: string; promise: Promise<T> }>();

  run(
    key: string,
    fingerprint: string,
    work: () => Promise<T>,
  ): { joined: boolean; sameRequest: boolean; promise: Promise<T> } {
    const existing = this.inFlight.get(key);
    if (existing)
      return { joined: true, sameRequest: existing.fingerprint === fingerprint, promise: existing.promise };
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, { fingerprint, promise });
    return { joined: false, sameRequest: true, promise };
  }
}
