import type { Clock } from './clock.js';

/**
 * Keeps one portal's calls under HubSpot's rolling limit (`X-HubSpot-RateLimit-Max` per
 * `-Interval-Milliseconds`, 100 per 10 s until the headers say otherwise). A call's slot is dated
 * when its answer arrives, not when it was sent: HubSpot counted it at some moment in between, so
 * the slot is never reused before HubSpot frees it. Other relay instances use the same portal, so a
 * `Remaining` of 0 pauses this one briefly too.
 */
export class PortalRateLimiter {
  max = 100;
  windowMs = 10_000;
  private readonly done: number[] = [];
  private inFlight = 0;
  private blockedUntil = 0;

  constructor(private readonly clock: Clock) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.prune(now);
      if (now < this.blockedUntil) {
        await this.clock.sleep(this.blockedUntil - now);
        continue;
      }
      if (this.done.length + this.inFlight < this.max) {
        this.inFlight++;
        return;
      }
      const oldest = this.done[0];
      await this.clock.sleep(
        oldest === undefined ? Math.ceil(this.windowMs / 20) : oldest + this.windowMs - now + 1,
      );
    }
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.done.push(this.clock.now());
  }

  observe(headers: Record<string, string>): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    if (Number.isInteger(max) && max > 0) this.max = max;
    if (Number.isInteger(interval) && interval > 0) this.windowMs = interval;
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    if (headers['x-hubspot-ratelimit-remaining'] !== undefined && remaining <= 0) {
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
