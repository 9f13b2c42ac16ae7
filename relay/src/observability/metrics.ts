import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isRelayError } from '../errors.js';

/**
 * The relay's Prometheus metrics, in a registry of its own (not prom-client's global one), so two
 * relays in one process (tests, benches) never count into each other. Names follow Prometheus'
 * conventions: `_total` counters, `_seconds` durations, route templates (never raw paths) as labels
 * so an attacker's URLs cannot blow up the series count.
 */
export class RelayMetrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'onepagepay_http_requests_total',
    help: 'HTTP requests answered, by route template and status class',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly durations = new Histogram({
    name: 'onepagepay_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly payments = new Counter({
    name: 'onepagepay_payments_total',
    help: 'Payment attempts answered, by provider and outcome (succeeded, requires_action, or the error code)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly reconciliationFindings = new Counter({
    name: 'onepagepay_reconciliation_findings_total',
    help: 'Disagreements the reconciliation sweep found between a provider and our records, by what it did',
    labelNames: ['provider', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly reconciliationRuns = new Counter({
    name: 'onepagepay_reconciliation_runs_total',
    help: 'Reconciliation sweeps run, by result (ok, or provider_errors when a provider could not be read)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly probes = new Counter({
    name: 'onepagepay_upstream_probes_total',
    help: 'Upstream health probes, by upstream and result (up, degraded, down)',
    labelNames: ['upstream', 'status'] as const,
    registers: [this.registry],
  });

  private readonly probeLatency = new Gauge({
    name: 'onepagepay_upstream_latency_seconds',
    help: 'How long the last answered probe of an upstream took',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'onepagepay_card_testing_refusals_total',
    help: 'Payment attempts the card-testing defence refused, by reason (ip, email, tenant, declines, attempt, challenge_required, challenge_failed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly outboxPending: Gauge<'mode'>;
  private readonly outboxDead: Gauge<'mode'>;
  private readonly outboxLag: Gauge<'mode'>;

  constructor(
    private readonly options: { knex: Knex; upstreams?: () => Promise<Record<string, { status: string }>> },
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'onepagepay_' });
    this.outboxPending = new Gauge({
      name: 'onepagepay_outbox_pending',
      help: 'HubSpot push jobs waiting to be delivered',
      labelNames: ['mode'] as const,
      registers: [this.registry],
    });
    this.outboxDead = new Gauge({
      name: 'onepagepay_outbox_dead_letters',
      help: 'HubSpot push jobs that gave up and wait for a replay',
      labelNames: ['mode'] as const,
      registers: [this.registry],
    });
    this.outboxLag = new Gauge({
      name: 'onepagepay_outbox_oldest_pending_seconds',
      help: 'Age of the oldest HubSpot push job not yet delivered (the sync lag)',
      labelNames: ['mode'] as const,
      registers: [this.registry],
    });
    if (options.upstreams) {
      const upstreams = options.upstreams;
      new Gauge({
        name: 'onepagepay_upstream_up',
        help: 'Whether the last probe of an upstream answered (1 up or degraded, 0 down)',
        labelNames: ['upstream'] as const,
        registers: [this.registry],
        async collect() {
          for (const [upstream, health] of Object.entries(await upstreams())) {
            this.set({ upstream }, health.status === 'down' ? 0 : 1);
          }
        },
      });
    }
  }

  /** The text Prometheus scrapes: the outbox gauges are read from the database once per scrape. */
  async scrape(): Promise<string> {
    const result = (await this.options.knex.raw('select * from onepagepay_outbox_stats()')) as {
      rows: OutboxRow[];
    };
    for (const gauge of [this.outboxPending, this.outboxDead, this.outboxLag]) gauge.reset();
    for (const mode of ['test', 'live'] as const) {
      const row = result.rows.find((candidate) => candidate.livemode === (mode === 'live'));
      this.outboxPending.set({ mode }, Number(row?.pending ?? 0));
      this.outboxDead.set({ mode }, Number(row?.dead ?? 0));
      this.outboxLag.set({ mode }, Number(row?.oldest_pending_seconds ?? 0));
    }
    return this.registry.metrics();
  }

  /** Counts one reconciliation sweep and each of its findings. */
  countReconciliation(report: {
    findings: ReadonlyArray<{ provider: string; kind: string; outcome: string }>;
    errors: readonly unknown[];
  }): void {
    this.reconciliationRuns.inc({ result: report.errors.length > 0 ? 'provider_errors' : 'ok' });
    for (const { provider, kind, outcome } of report.findings) {
      this.reconciliationFindings.inc({ provider, kind, outcome });
    }
  }

  /** Counts one background or on-demand probe of an upstream (Stripe, PayPal, HubSpot). */
  recordProbe(upstream: string, health: { status: string; latencyMs: number | null }): void {
    this.probes.inc({ upstream, status: health.status });
    if (health.latencyMs !== null) this.probeLatency.set({ upstream }, health.latencyMs / 1000);
  }

  /** Counts one payment attempt refused by the card-testing defence. */
  countRefusal(reason: string): void {
    this.refusals.inc({ reason });
  }

  /** Counts every request by its route template; runs inside the error boundary, so it sees final statuses. */
  middleware(): Middleware {
    return async (ctx, next) => {
      const stop = this.durations.startTimer();
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
        const labels = { method: ctx.method, route: String(route) };
        stop(labels);
        this.requests.inc({ ...labels, status: statusClass(ctx.status) });
      }
    };
  }

  /** Counts a payment route's outcome: the answer's status, or the error code it failed with. */
  countPayments(provider: string): Middleware {
    return async (ctx, next) => {
      try {
        await next();
        const status = (ctx.body as { status?: unknown } | undefined)?.status;
        this.payments.inc({ provider, outcome: typeof status === 'string' ? status : 'unknown' });
      } catch (error) {
        this.payments.inc({ provider, outcome: isRelayError(error) ? error.code : 'internal_error' });
        throw error;
      }
    };
  }
}

interface OutboxRow {
  livemode: boolean;
  pending: string;
  dead: string;
  oldest_pending_seconds: number;
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
