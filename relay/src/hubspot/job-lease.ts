import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { ClaimedJob } from './claim-jobs.js';
import type { Clock } from './clock.js';

/**
 * Room kept between a call's end and the lease's: relays' clocks differ a little, and a request
 * takes a moment to leave after the check.
 */
export const LEASE_MARGIN_MS = 1_000;

/** The worker no longer holds its jobs for long enough to call HubSpot: it stops, and leaves them. */
export class LeaseLost extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeaseLost';
  }
}

export interface JobLeaseDeps {
  knex: Knex;
  clock: Pick<Clock, 'now'>;
  leaseMs: number;
}

/**
 * One tenant's claimed jobs as one lease (they share the claim's fencing token). A claim is only
 * exclusive until `locked_until`: after that another relay may claim the same jobs, so a HubSpot
 * call started later, or still running then, would be a second delivery while the other relay
 * makes its own (the fault suite saw exactly that after a failover, when a backlog made rounds
 * outlast a lease). So every call first makes sure the lease outlasts the call's whole deadline,
 * renewing it in the database while it is still held, and a worker that cannot (the database
 * unreachable, the lease already over) stops calling and leaves the jobs to the next claim.
 */
export class JobLease {
  private renewing: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Set once the lease ran out: nothing of it can be trusted any more. */
  private lost: LeaseLost | undefined;

  constructor(
    private readonly deps: JobLeaseDeps,
    private readonly scope: TenantScope,
    private readonly token: string,
    /** When the lease ends, on the worker's clock (the claim's `leaseUntil`). */
    private until: number,
  ) {}

  /** The lease of one claim's jobs of one tenant. */
  static of(deps: JobLeaseDeps, scope: TenantScope, jobs: readonly ClaimedJob[]): JobLease {
    const tokens = new Set(jobs.map((job) => job.lockedBy));
    if (tokens.size !== 1)
      throw new Error(`one lease holds the jobs of one claim (got ${tokens.size} tokens)`);
    const until = Math.min(...jobs.map((job) => job.leaseUntil.getTime()));
    return new JobLease(deps, scope, [...tokens][0] as string, until);
  }

  /**
   * Renews the lease every third of it while the worker works, calls or not: a round also waits on
   * the database (loading records, recording outcomes), and after a failover those waits alone
   * outlasted a lease, so another relay claimed and delivered jobs whose first delivery was still
   * being recorded. A failed renewal is left to `ensure`, which decides before the next call.
   */
  keepAlive(): void {
    this.heartbeat ??= setInterval(() => {
      if (this.lost || this.until - this.deps.clock.now() > (this.deps.leaseMs * 2) / 3) return;
      this.renewOnce().catch(() => {});
    }, this.deps.leaseMs / 3);
    this.heartbeat.unref();
  }

  /** The round is over: no more renewals. */
  release(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Resolves when the lease will last `callMs` more (renewing it if needed); throws LeaseLost otherwise. */
  async ensure(callMs: number): Promise<void> {
    if (this.lost) throw this.lost;
    const needed = callMs + LEASE_MARGIN_MS;
    const left = this.until - this.deps.clock.now();
    // Renewing at half the lease keeps one renewal per half lease, however many calls there are.
    if (left >= Math.max(needed, this.deps.leaseMs / 2)) return;
    try {
      await this.renewOnce();
    } catch (error) {
      // Not renewed (the database away for a moment): what is left may still cover this call.
      if (this.until - this.deps.clock.now() >= needed) return;
      throw error;
    }
    if (this.until - this.deps.clock.now() < needed) {
      throw new LeaseLost(`the lease (${this.deps.leaseMs} ms) is too short for a ${callMs} ms call`);
    }
  }

  /** One renewal at a time: the heartbeat and concurrent calls share the one in flight. */
  private renewOnce(): Promise<void> {
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renew(): Promise<void> {
    const heldUntil = this.until;
    if (this.deps.clock.now() >= heldUntil) throw this.loseIt('the lease ran out before it was renewed');
    const next = this.deps.clock.now() + this.deps.leaseMs;
    try {
      await inTenantTransaction(this.deps.knex, this.scope, (trx) =>
        trx('outbox')
          .where({ tenant_id: this.scope.tenantId, locked_by: this.token, status: 'pending' })
          .update({ locked_until: new Date(next) }),
      );
    } catch (error) {
      throw new LeaseLost('the lease could not be renewed', { cause: error });
    }
    // Only a renewal that ended while the lease still held is sure to have kept every job: after
    // `heldUntil` another relay may have claimed some (their token changed, so they were not extended).
    if (this.deps.clock.now() >= heldUntil) throw this.loseIt('the lease ran out while it was renewed');
    this.until = next;
  }

  private loseIt(reason: string): LeaseLost {
    this.release();
    return (this.lost = new LeaseLost(reason));
  }
}
