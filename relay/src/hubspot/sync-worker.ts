import type { Knex } from 'knex';
import type { HubSpotConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { claimDueJobs, type ClaimedJob } from './claim-jobs.js';
import type { HubSpotClientFactory } from './client-factory.js';
import { systemClock, type Clock } from './clock.js';
import { refreshAccessToken } from './oauth.js';
import { PortalRateLimiter } from './rate-limiter.js';
import { runWithConcurrency, syncTenantJobs, type TenantSyncResult } from './sync-tenant.js';
import type { TokenCipher } from './token-cipher.js';

export interface SyncWorkerDeps {
  knex: Knex;
  cipher: TokenCipher;
  clientFactory: HubSpotClientFactory;
  logger: Logger;
  hubspot: HubSpotConfig;
  clock?: Clock;
  /** Counts requests and 429s (bench, metrics). */
  onRequest?: (outcome: { status: number | undefined; rateLimited: boolean }) => void;
}

export interface RunResult extends TenantSyncResult {
  claimed: number;
}

/** Rounds in flight at once in one worker (see start). */
const OVERLAPPING_ROUNDS = 2;

/**
 * The HubSpot outbox consumer. Each round claims due jobs (see claimDueJobs), groups them per
 * tenant and delivers them; it runs inside the relay or alone (`onepagepay-relay worker`), and any
 * number of copies may run against one database.
 */
export class HubSpotSyncWorker {
  private readonly clock: Clock;
  private readonly limiters = new Map<number, PortalRateLimiter>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly deps: SyncWorkerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** One round: claim, deliver, record. Resolves with what happened (claimed 0 means idle). */
  async runOnce(): Promise<RunResult> {
    const { worker } = this.deps.hubspot;
    const now = this.clock.now();
    const jobs = await claimDueJobs(this.deps.knex, worker.claimLimit, {
      now: new Date(now),
      leaseUntil: new Date(now + worker.leaseMs),
    });
    const total: RunResult = { claimed: jobs.length, synced: 0, failed: 0, dead: 0, formsSubmitted: 0 };
    const groups = new Map<string, ClaimedJob[]>();
    for (const job of jobs) {
      const key = `${job.tenantId}:${job.livemode}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    await runWithConcurrency([...groups.values()], worker.tenantConcurrency, async (group) => {
      const first = group[0] as ClaimedJob;
      const result = await syncTenantJobs(
        this.tenantDeps(),
        { tenantId: first.tenantId, livemode: first.livemode },
        group,
      );
      total.synced += result.synced;
      total.failed += result.failed;
      total.dead += result.dead;
      total.formsSubmitted += result.formsSubmitted;
    });
    if (jobs.length > 0) this.deps.logger.info({ ...total }, 'hubspot sync round');
    return total;
  }

  /**
   * Runs rounds until stopped; idles `pollMs` when there is nothing due. Two rounds overlap, so
   * HubSpot calls keep flowing while the other round claims and records (claims never overlap:
   * each takes other rows).
   */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    const loop = async () => {
      while (!this.stopping) {
        let idle = false;
        try {
          idle = (await this.runOnce()).claimed === 0;
        } catch (error) {
          idle = true;
          this.deps.logger.error({ err: error }, 'hubspot sync round failed');
        }
        if (idle && !this.stopping) await this.idle(this.deps.hubspot.worker.pollMs);
      }
    };
    this.running = Promise.all(Array.from({ length: OVERLAPPING_ROUNDS }, loop)).then(() => undefined);
  }

  /** Finishes the round in progress, then stops. Unfinished jobs simply stay in the outbox. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await this.running;
    this.running = undefined;
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private tenantDeps() {
    const { deps, clock } = this;
    return {
      knex: deps.knex,
      cipher: deps.cipher,
      clock,
      logger: deps.logger,
      hubspot: deps.hubspot,
      batchConcurrency: deps.hubspot.worker.batchConcurrency,
      session: {
        clientFactory: deps.clientFactory,
        clock,
        timeoutMs: deps.hubspot.timeoutMs,
        limiterFor: (portalId: number) => {
          let limiter = this.limiters.get(portalId);
          if (!limiter) this.limiters.set(portalId, (limiter = new PortalRateLimiter(clock)));
          return limiter;
        },
        refresh: (connection: Parameters<typeof refreshAccessToken>[1]) =>
          refreshAccessToken(
            {
              knex: deps.knex,
              cipher: deps.cipher,
              clientFactory: deps.clientFactory,
              hubspot: deps.hubspot,
              clock,
            },
            connection,
          ),
        ...(deps.onRequest ? { onRequest: deps.onRequest } : {}),
      },
    };
  }
}
