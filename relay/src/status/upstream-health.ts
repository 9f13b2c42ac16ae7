import type { StatusResponse, UpstreamHealth } from '@onepagepay/protocol';

/** A cheap authenticated call to one upstream; resolves when it answered, rejects otherwise. */
export type HealthProbe = () => Promise<unknown>;

export interface UpstreamHealthOptions {
  cacheMs: number;
  timeoutMs: number;
  /** An answer slower than this is `degraded`: the upstream works, but payers will wait. */
  degradedMs?: number;
  now?: () => number;
  /** Told about every probe's outcome (metrics). */
  onProbe?: (upstream: string, health: UpstreamHealth) => void;
}

/**
 * Probes each upstream within a timeout and caches the answer, so the public status route costs
 * the providers at most one call per cache period however many payers load the page. Concurrent
 * callers share one probe. Started with `start(intervalMs)`, it probes in the background instead,
 * so an outage shows within one interval and no payer ever waits for a probe.
 */
export class UpstreamHealthMonitor {
  private cached: { value: StatusResponse; expiresAt: number } | undefined;
  private pending: Promise<StatusResponse> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private intervalMs = 0;

  constructor(
    private readonly probes: Record<string, HealthProbe>,
    private readonly options: UpstreamHealthOptions,
  ) {}

  async status(): Promise<StatusResponse> {
    const now = this.options.now?.() ?? Date.now();
    if (this.cached && (this.timer || this.cached.expiresAt > now)) return this.cached.value;
    return this.refresh();
  }

  /** Probes every `intervalMs` until `stop()`; the first probe runs at once. */
  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.intervalMs = intervalMs;
    const tick = () => void this.refresh().catch(() => undefined);
    this.timer = setInterval(tick, intervalMs);
    // A probe loop must never keep a CLI command or a finished test alive.
    this.timer.unref();
    tick();
  }

  /**
   * How long a browser may reuse an answer: at most 10 s, and never longer than one probe interval,
   * so a payer who saw an outage sees the recovery as soon as the relay does.
   */
  maxAgeSeconds(): number {
    return this.timer ? Math.min(10, Math.floor(this.intervalMs / 1000)) : 10;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private refresh(): Promise<StatusResponse> {
    this.pending ??= this.probeAll()
      .then((value) => {
        const now = this.options.now?.() ?? Date.now();
        this.cached = { value, expiresAt: now + this.options.cacheMs };
        return value;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async probeAll(): Promise<StatusResponse> {
    const entries = await Promise.all(
      Object.entries(this.probes).map(async ([name, probe]) => {
        const health = await this.probeOne(probe);
        this.options.onProbe?.(name, health);
        return [name, health] as const;
      }),
    );
    const providers = Object.fromEntries(entries);
    const allUp = entries.every(([, health]) => health.status === 'up');
    return { status: allUp ? 'up' : 'degraded', providers };
  }

  private async probeOne(probe: HealthProbe): Promise<UpstreamHealth> {
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), this.options.timeoutMs);
    });
    try {
      await Promise.race([probe(), timeout]);
      const latencyMs = Math.round(performance.now() - startedAt);
      const slow = latencyMs > (this.options.degradedMs ?? Infinity);
      return health(slow ? 'degraded' : 'up', latencyMs);
    } catch {
      return health('down', null);
    } finally {
      clearTimeout(timer);
    }
  }
}

function health(status: UpstreamHealth['status'], latencyMs: number | null): UpstreamHealth {
  return { status, latencyMs, checkedAt: new Date().toISOString() };
}
