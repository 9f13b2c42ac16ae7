import type { Clock } from './clock.js';

/**
 * Keeps one portal's calls under HubSpot's rolling limit (`X-HubSpot-RateLimit-Max` per
 * `-Interval-Milliseconds`, 100 per 10 s until the headers say otherwise). HubSpot counts a call
 * when it arrives, somewhere between our sending it and its answer, so a slot is taken while the
 * call is in flight and dated at the answer: never reused before HubSpot frees it (the cost, one
 * round trip per window, is 1 % of a 10 s window). Other relay instances use the same portal, so a
 * `Remaining` of 0 that our own count does not explain pauses this one briefly too.
 */
export class PortalRateLimiter {
  max = 100;
  windowMs = 10_000;
  private readonly done: number[] = [];
  private inFlight = 0;
  private blockedUntil = 0;

  constructor(private readonly clock: Clock) {}

  /** Waits for a free slot; pass what it returns to `release`. */
  async acquire(): Promise<number> {
    for (;;) {
      const now = this.clock.now();
      this.prune(now);
      if (now < this.blockedUntil) {
        await this.clock.sleep(this.blockedUntil - now);
        continue;
      }
      if (this.done.length + this.inFlight < this.max) {
        this.inFlight++;
        return now;
      }
      const oldest = this.done[0];
      await this.clock.sleep(
        oldest === undefined ? Math.ceil(this.windowMs / 20) : oldest + this.windowMs - now + 1,
      );
    }
  }

  release(sentAt: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    // Dated at the answer: HubSpot counted the call on arrival, which may have waited in its queue
    // well past the midpoint of our wait, so only the answer is surely after it.
    void sentAt;
    this.done.push(this.clock.now());
  }

  observe(headers: Record<string, string>): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    if (Number.isInteger(max) && max > 0) this.max = max;
    if (Number.isInteger(interval) && interval > 0) this.windowMs = interval;
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    // HubSpot's window is full although ours is not: other relay instances share the portal.
    const ours = this.done.length + this.inFlight;
    if (headers['x-hubspot-ratelimit-remaining'] !== undefined && remaining <= 0 && ours < this.max) {
      this.pauseFor(Math.ceil(this.windowMs / 20));
    }
  }

  pauseFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
  }

  private prune(now: number): void {
    while (this.done.length > 0 && (this.done[0] as number) + this.windowMs <= now) this.done.shift();
  }
}
