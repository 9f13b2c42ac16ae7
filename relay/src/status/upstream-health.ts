import type { StatusResponse, UpstreamHealth } from '@onepagepay/protocol';

/** A cheap authenticated call to one upstream; resolves when it answered, rejects otherwise. */
export type HealthProbe = () => Promise<unknown>;

/**
 * Probes each upstream within a timeout and caches the answer, so the public status route costs
 * the providers at most one call per cache period however many payers load the page. Concurrent
 * callers share one probe.
 */
export class UpstreamHealthMonitor {
  private cached: { value: StatusResponse; expiresAt: number } | undefined;
  private pending: Promise<StatusResponse> | undefined;

  constructor(
    private readonly probes: Record<string, HealthProbe>,
    private readonly options: { cacheMs: number; timeoutMs: number; now?: () => number },
  ) {}

  async status(): Promise<StatusResponse> {
    const now = this.options.now?.() ?? Date.now();
    if (this.cached && this.cached.expiresAt > now) return this.cached.value;
    this.pending ??= this.probeAll().finally(() => (this.pending = undefined));
    const value = await this.pending;
    this.cached = { value, expiresAt: now + this.options.cacheMs };
    return value;
  }

  private async probeAll(): Promise<StatusResponse> {
    const entries = await Promise.all(
      Object.entries(this.probes).map(async ([name, probe]) => [name, await this.probeOne(probe)] as const),
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
      return health('up', Math.round(performance.now() - startedAt));
    } catch {
      return health('down', null);
    } finally {
      clearTimeout(timer);
    }
  }
}

function health(status: 'up' | 'down', latencyMs: number | null): UpstreamHealth {
  return { status, latencyMs, checkedAt: new Date().toISOString() };
}
