import type { Knex } from 'knex';
import type { TenantScope } from '../db/tenant-scope.js';
import type { ClaimedJob } from './claim-jobs.js';
import { classifyFailure, type HubSpotFailure } from './hubspot-failure.js';
import type { HubSpotSession } from './hubspot-session.js';
import { recordFailed, recordSynced } from './job-outcomes.js';
import { LeaseLost } from './job-lease.js';
import type { LoadedTransaction } from './load-records.js';
import { currencyProblem, resolveDealPlacement, type PortalSettings } from './portal-settings.js';
import { pushRecords } from './push-records.js';

export interface BatchContext {
  knex: Knex;
  scope: TenantScope;
  session: HubSpotSession;
  settings: PortalSettings;
  now: () => number;
  formSubmissionDelayMs: number;
  jobsOf: (transactionId: string) => ClaimedJob[];
  /** A failure that is not one record's fault (429, outage, broken token): the caller decides. */
  fail: (jobs: ClaimedJob[], error: unknown) => Promise<void>;
  /** Counts what happened, for the worker's round result. */
  tally: { synced: number; failed: number; dead: number };
}

/** A 400 for the data itself (HubSpot's VALIDATION_ERROR): one record's fault, retrying cannot help. */
export function isRecordRejection(failure: HubSpotFailure): boolean {
  return failure.kind === 'rejected' && failure.details.status === 400;
}

/** Dead-letters jobs at once with HubSpot's reason: the data must change (or the portal), then `hubspot replay`. */
export async function deadLetter(context: BatchContext, jobs: ClaimedJob[], reason: string): Promise<void> {
  const { dead } = await recordFailed(context.knex, context.scope, jobs, reason, {
    now: context.now(),
    maxAttempts: 0,
    delayFor: () => 0,
  });
  context.tally.failed += jobs.length;
  context.tally.dead += dead;
}

/**
 * Pushes one batch. What the portal's settings say HubSpot would refuse (a currency it has not
 * enabled, a pipeline or stage it does not have) is dead-lettered before sending, with a reason
 * naming it; labels are mapped to internal ids. When HubSpot still refuses the batch with a 400
 * (CRM batch writes fail as a whole when one input is invalid), the batch is halved and each half
 * pushed again, so the good records sync and only the bad one is dead-lettered with HubSpot's message.
 */
export async function pushBatch(context: BatchContext, records: LoadedTransaction[]): Promise<void> {
  const ready: LoadedTransaction[] = [];
  const portalId = context.session.connection.portalId;
  for (const record of records) {
    const placement = resolveDealPlacement(context.settings, portalId, record.pipeline, record.dealStage);
    const problem =
      currencyProblem(context.settings, portalId, record.currency) ??
      ('problem' in placement ? placement.problem : undefined);
    if (problem) await deadLetter(context, context.jobsOf(record.transactionId), problem);
    else if (!('problem' in placement)) ready.push({ ...record, ...placement });
  }
  if (ready.length === 0) return;
  let outcomes: Awaited<ReturnType<typeof pushRecords>>;
  try {
    outcomes = await pushRecords(context.session, ready);
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    const failure = classifyFailure(error);
    const jobs = ready.flatMap((record) => context.jobsOf(record.transactionId));
    if (!isRecordRejection(failure)) return context.fail(jobs, failure);
    if (ready.length === 1) return deadLetter(context, jobs, failure.message);
    const half = Math.ceil(ready.length / 2);
    await pushBatch(context, ready.slice(0, half));
    await pushBatch(context, ready.slice(half));
    return;
  }
  const synced = [];
  const formDue = [];
  for (const record of ready) {
    const outcome = outcomes.get(record.transactionId);
    if (!outcome?.ok) continue;
    synced.push({
      ...outcome,
      transactionId: record.transactionId,
      jobs: context.jobsOf(record.transactionId),
    });
    if (!record.formSubmittedAt) {
      formDue.push({
        transactionId: record.transactionId,
        dueAt: new Date(record.paidAt.getTime() + context.formSubmissionDelayMs),
      });
    }
  }
  await recordSynced(context.knex, context.scope, synced, new Date(context.now()), formDue);
  context.tally.synced += synced.length;
  for (const record of ready) {
    const outcome = outcomes.get(record.transactionId);
    if (outcome?.ok) continue;
    await context.fail(
      context.jobsOf(record.transactionId),
      new Error(outcome && !outcome.ok ? outcome.error : 'not pushed'),
    );
  }
}
