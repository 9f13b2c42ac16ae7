import type { Client } from '@hubspot/api-client';
import type { Clock } from './clock.js';
import type { HubSpotClientFactory } from './client-factory.js';
import type { OpenConnection } from './connection-store.js';
import { classifyFailure, HubSpotFailure, lowerCaseKeys } from './hubspot-failure.js';
import { LeaseLost, type JobLease } from './job-lease.js';
import type { PortalRateLimiter } from './rate-limiter.js';

export interface SessionDeps {
  clientFactory: HubSpotClientFactory;
  limiterFor(portalId: number): PortalRateLimiter;
  clock: Clock;
  timeoutMs: number;
  /** Gets a new access token after a 401; throws a `connection_broken` HubSpotFailure when it cannot. */
  refresh(connection: OpenConnection): Promise<string>;
  /** Counts every request and every 429, for the bench and the logs. */
  onRequest?(outcome: { status: number | undefined; rateLimited: boolean }): void;
}

/** How often one call waits out a TEN_SECONDLY_ROLLING 429 before the job is put back. */
const MAX_WINDOW_WAITS = 4;

/**
 * One tenant's portal as the worker talks to it: every call goes through the portal's rate limiter,
 * has a deadline, waits out a ten-secondly 429 (Retry-After, else the window), and after a 401
 * refreshes the token once and tries again. Anything else is thrown as a HubSpotFailure.
 */
export class HubSpotSession {
  private client: Client;
  private readonly limiter: PortalRateLimiter;

  constructor(
    private readonly deps: SessionDeps,
    readonly connection: OpenConnection,
    /** The worker's claim on the jobs this session delivers: no call outlives it (see JobLease). */
    private readonly lease?: Pick<JobLease, 'ensure'>,
  ) {
    this.limiter = deps.limiterFor(connection.portalId);
    this.client = this.makeClient();
  }

  async call<T>(work: (client: Client) => Promise<T>): Promise<T> {
    let refreshed = false;
    let reconnected = false;
    for (let waits = 0; ;) {
      const sentAt = await this.limiter.acquire();
      let failure: HubSpotFailure;
      try {
        await this.lease?.ensure(this.deps.timeoutMs);
        const result = await withDeadline(work(this.client), this.deps.timeoutMs);
        this.deps.onRequest?.({ status: 200, rateLimited: false });
        return result;
      } catch (error) {
        if (error instanceof LeaseLost) throw error;
        failure = classifyFailure(error);
        this.deps.onRequest?.({
          status: failure.details.status,
          rateLimited: failure.kind === 'rate_limited',
        });
      } finally {
        this.limiter.release(sentAt);
      }
      if (failure.kind === 'rate_limited' && failure.details.policy !== 'DAILY' && waits < MAX_WINDOW_WAITS) {
        waits++;
        this.limiter.pauseFor(failure.details.retryAfterMs ?? this.limiter.windowMs);
        continue;
      }
      // A kept-alive connection the other side had just closed: try once more on a fresh one
      // (every write is an idempotent upsert), before it costs the whole batch a backoff.
      if (failure.details.network && !reconnected) {
        reconnected = true;
        continue;
      }
      if (failure.kind === 'unauthorized' && !refreshed) {
        refreshed = true;
        this.connection.accessToken = await this.deps.refresh(this.connection);
        this.client = this.makeClient();
        continue;
      }
      throw failure;
    }
  }

  /**
   * A request the generated client has no method for: a full `url` (Forms submissions v3 on
   * api.hsforms.com) or a `path` on the API's base (Forms v1's submissions list).
   */
  async request(options: { method: string; url?: string; path?: string; body?: unknown }): Promise<unknown> {
    return this.call(async (client) => {
      const response = await client.apiRequest({
        method: options.method,
        ...(options.url ? { overlapUrl: options.url } : { path: options.path ?? '/' }),
        ...(options.body === undefined ? {} : { body: options.body }),
      });
      const headers = lowerCaseKeys(Object.fromEntries(response.headers.entries()));
      this.limiter.observe(headers);
      const text = await response.text();
      if (!response.ok) throw { code: response.status, body: text, headers };
      return text === '' ? {} : (JSON.parse(text) as unknown);
    });
  }

  private makeClient(): Client {
    return this.deps.clientFactory({
      accessToken: this.connection.accessToken,
      onResponse: (_status, headers) => this.limiter.observe(lowerCaseKeys(headers)),
    });
  }
}

/** The client has no timeout of its own; a late answer is ignored (every write is an idempotent upsert). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new HubSpotFailure('transient', `HubSpot did not answer within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
