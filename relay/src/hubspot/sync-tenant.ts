import type { Knex } from 'knex';
import type { HubSpotConfig } from '../config.js';
import type { TenantScope } from '../db/tenant-scope.js';
import type { Logger } from '../logger.js';
import { backoffMs } from './backoff.js';
import type { ClaimedJob } from './claim-jobs.js';
import type { Clock } from './clock.js';
import { loadConnection, markPropertiesReady, pauseConnection } from './connection-store.js';
import { recordFormSubmitted, submitFormIfMissing } from './form-submission.js';
import { classifyFailure } from './hubspot-failure.js';
import { HubSpotSession, type SessionDeps } from './hubspot-session.js';
import { loadTransactions, PUSHED_STATUSES, type LoadedTransaction } from './load-records.js';
import { completeJobs, recordFailed, releaseJobs } from './job-outcomes.js';
import { JobLease, LeaseLost } from './job-lease.js';
import { learnPortal } from './connect.js';
import { checkTenantForms, readFormCheck, saveFormCheck } from './form-check.js';
import { nextPortalMidnight, type PortalSettings } from './portal-settings.js';
import { deadLetter, isRecordRejection, pushBatch, type BatchContext } from './push-batch.js';
import { ensureCustomProperties } from './properties.js';
import { MAX_BATCH } from './push-records.js';
import type { TokenCipher } from './token-cipher.js';

export interface TenantSyncDeps {
  knex: Knex;
  cipher: TokenCipher;
  clock: Clock;
  logger: Logger;
  hubspot: Pick<HubSpotConfig, 'worker' | 'formSubmissionDelayMs' | 'formsApiBase'>;
  session: Omit<SessionDeps, 'refresh'> & { refresh: SessionDeps['refresh'] };
  /** Batches of one tenant in flight at once (each batch is five sequential requests). */
  batchConcurrency: number;
}

export interface TenantSyncResult {
  synced: number;
  failed: number;
  dead: number;
  formsSubmitted: number;
}

/** Refresh an OAuth token this long before HubSpot says it expires. */
const REFRESH_AHEAD_MS = 5 * 60_000;
const DEFAULT_FORMS_BASE = new URL('https://api.hsforms.com');

/**
 * Delivers one tenant's claimed jobs: CRM pushes in batches of 100, then due form submissions.
 * Every HubSpot call is made under the claim's lease (JobLease); when the lease cannot be kept, the
 * worker stops and leaves the rest to whoever claims them next, recording nothing for them.
 */
export async function syncTenantJobs(
  deps: TenantSyncDeps,
  scope: TenantScope,
  jobs: ClaimedJob[],
): Promise<TenantSyncResult> {
  const result: TenantSyncResult = { synced: 0, failed: 0, dead: 0, formsSubmitted: 0 };
  const lease = JobLease.of(
    { knex: deps.knex, clock: deps.clock, leaseMs: deps.hubspot.worker.leaseMs },
    scope,
    jobs,
  );
  lease.keepAlive();
  try {
    return await deliverTenantJobs(deps, scope, jobs, lease, result);
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    deps.logger.warn(
      { tenantId: scope.tenantId, jobs: jobs.length, reason: error.message },
      'hubspot lease lost: jobs left for the next claim',
    );
    return result;
  } finally {
    lease.release();
  }
}

async function deliverTenantJobs(
  deps: TenantSyncDeps,
  scope: TenantScope,
  jobs: ClaimedJob[],
  lease: JobLease,
  result: TenantSyncResult,
): Promise<TenantSyncResult> {
  const connection = await loadConnection(deps.knex, deps.cipher, scope);
  if (!connection || connection.status !== 'connected') {
    await releaseJobs(deps.knex, scope, jobs, {
      note: connection?.brokenReason ?? 'HubSpot is not connected',
    });
    return result;
  }
  let halted = false;
  /** Applies one failure to the jobs it hit; a DAILY limit or a broken connection halts the tenant. */
  const fail = async (failedJobs: ClaimedJob[], error: unknown) => {
    if (error instanceof LeaseLost) throw error;
    const failure = classifyFailure(error);
    const now = deps.clock.now();
    if (failure.kind === 'rate_limited' && failure.details.policy === 'DAILY') {
      halted = true;
      // HubSpot sends no Retry-After with the DAILY 429: its limit resets at the portal's midnight.
      const timeZone = connection.portalSettings?.timeZone ?? 'UTC';
      const until = new Date(
        failure.details.retryAfterMs ? now + failure.details.retryAfterMs : nextPortalMidnight(now, timeZone),
      );
      await pauseConnection(deps.knex, scope, until);
      await releaseJobs(deps.knex, scope, failedJobs, {
        note: `HubSpot daily limit reached; paused until ${until.toISOString()}`,
      });
      deps.logger.warn({ tenantId: scope.tenantId, until }, 'hubspot daily limit: tenant paused');
    } else if (failure.kind === 'connection_broken') {
      halted = true;
      await releaseJobs(deps.knex, scope, failedJobs, { note: failure.message });
      deps.logger.warn({ tenantId: scope.tenantId, reason: failure.message }, 'hubspot connection broken');
    } else if (failure.kind === 'rate_limited') {
      await releaseJobs(deps.knex, scope, failedJobs, {
        runAfter: new Date(now + (failure.details.retryAfterMs ?? 10_000)),
      });
    } else {
      const { worker } = deps.hubspot;
      const { dead } = await recordFailed(deps.knex, scope, failedJobs, failure.message, {
        now,
        maxAttempts: worker.maxAttempts,
        delayFor: (attempt) => backoffMs(attempt, { baseMs: worker.retryBaseMs, maxMs: worker.retryMaxMs }),
      });
      result.failed += failedJobs.length;
      result.dead += dead;
      deps.logger.warn(
        { tenantId: scope.tenantId, jobs: failedJobs.length, dead, err: failure.message },
        'hubspot push failed',
      );
    }
  };

  let session: HubSpotSession;
  let settings: PortalSettings;
  let transactions: Map<string, LoadedTransaction>;
  try {
    if (
      connection.authKind === 'oauth' &&
      connection.accessTokenExpiresAt &&
      connection.accessTokenExpiresAt.getTime() - deps.clock.now() < REFRESH_AHEAD_MS
    ) {
      connection.accessToken = await deps.session.refresh(connection);
    }
    session = new HubSpotSession(deps.session, connection, lease);
    if (!connection.propertiesReadyAt) {
      await ensureCustomProperties(session);
      await markPropertiesReady(deps.knex, scope, new Date(deps.clock.now()));
    }
    const now = new Date(deps.clock.now());
    if (connection.portalSettings) {
      settings = connection.portalSettings;
      await checkTenantForms(deps.knex, scope, session, now, { onlyUnchecked: true });
    } else {
      settings = await learnPortal(deps.knex, scope, session, now);
    }
    transactions = await loadTransactions(
      deps.knex,
      scope,
      jobs.flatMap((job) => job.transactionId ?? []),
    );
  } catch (error) {
    // Before any batch ran (token refresh, properties, loading): every job shares the failure.
    await fail(jobs, error);
    return result;
  }
  {
    const pushJobs = jobs.filter((job) => job.topic === 'hubspot.transaction');
    const formJobs = jobs.filter((job) => job.topic === 'hubspot.form_submission');

    const byTransaction = new Map<string, ClaimedJob[]>();
    const nothingToDo: ClaimedJob[] = [];
    for (const job of pushJobs) {
      const transaction = job.transactionId ? transactions.get(job.transactionId) : undefined;
      if (!transaction || !PUSHED_STATUSES.has(transaction.status)) nothingToDo.push(job);
      else
        byTransaction.set(transaction.transactionId, [
          ...(byTransaction.get(transaction.transactionId) ?? []),
          job,
        ]);
    }
    await completeJobs(deps.knex, scope, nothingToDo);
    const batches = chunk([...byTransaction.keys()], MAX_BATCH);
    const context: BatchContext = {
      knex: deps.knex,
      scope,
      session,
      settings,
      now: () => deps.clock.now(),
      formSubmissionDelayMs: deps.hubspot.formSubmissionDelayMs,
      jobsOf: (id) => byTransaction.get(id) ?? [],
      fail,
      tally: result,
    };
    await runWithConcurrency(batches, deps.batchConcurrency, async (ids) => {
      if (halted) return releaseJobs(deps.knex, scope, ids.flatMap(context.jobsOf));
      return pushBatch(
        context,
        ids.map((id) => transactions.get(id) as LoadedTransaction),
      );
    });

    for (const job of formJobs) {
      if (halted) {
        await releaseJobs(deps.knex, scope, [job]);
        continue;
      }
      const transaction = job.transactionId ? transactions.get(job.transactionId) : undefined;
      if (!transaction || transaction.formSubmittedAt || !PUSHED_STATUSES.has(transaction.status)) {
        await completeJobs(deps.knex, scope, [job]);
        continue;
      }
      try {
        // The form may have changed since the last reading: read its definition before relying on
        // the hidden fields (HubSpot refuses a submission naming a field the form lacks).
        const formCheck = await readFormCheck(session, transaction.formGuid, new Date(deps.clock.now()));
        await saveFormCheck(deps.knex, scope, transaction.formGuid, formCheck);
        const outcome = await submitFormIfMissing(
          session,
          deps.hubspot.formsApiBase ?? DEFAULT_FORMS_BASE,
          { ...transaction, formCheck },
          new Date(deps.clock.now()),
          deps.logger,
        );
        await recordFormSubmitted(deps.knex, scope, transaction.transactionId, outcome.by, outcome.at, {
          email: outcome.email,
        });
        await completeJobs(deps.knex, scope, [job]);
        if (outcome.by === 'relay') result.formsSubmitted++;
      } catch (error) {
        if (error instanceof LeaseLost) throw error;
        // A 400 from the forms API (a required field the relay cannot fill) will not pass on retry.
        const failure = classifyFailure(error);
        if (isRecordRejection(failure)) await deadLetter(context, [job], failure.message);
        else await fail([job], failure);
      }
    }
  }
  return result;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

export async function runWithConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}
