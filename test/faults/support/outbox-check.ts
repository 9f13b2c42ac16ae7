import type { Knex } from 'knex';
import { writesPerTransaction, type DealWrite } from './hubspot-tap.js';

export interface OutboxUnderFault {
  jobs: number;
  jobsDone: number;
  /** Deal writes HubSpot accepted for the tenant, and how many of them each relay made. */
  writes: number;
  byRelay: Record<string, number>;
  /** Writes beyond one per job: a job delivered again (always as an upsert, so still one deal). */
  redelivered: number;
  /** Of those, the ones whose first delivery was not in flight when the fault struck. */
  redeliveredOutsideFault: number;
  /** When those were first delivered, in seconds from the start of the fault window. */
  outsideAt: string[];
}

/** A lease (8 s in the suite) and a longest retry (5 s), twice over. */
const DONE_WITHIN_MS = 30_000;

/**
 * Each HubSpot job of a tenant delivered exactly once by the relays' workers sharing the outbox,
 * except the deliveries in flight when the fault struck (`faultFrom`..`faultTo`): their worker
 * wrote to HubSpot and could not record it, so the job ran again once its lease ran out. A second
 * delivery outside that window would be two workers holding one job: the lease not doing its job.
 * (A transaction may have a job per status it went through, so writes are compared with jobs.)
 */
export async function checkOutbox(
  knex: Knex,
  tenantId: string,
  writes: readonly DealWrite[],
  fault: { from: number; to: number },
): Promise<OutboxUnderFault> {
  const readJobs = async () =>
    (await knex('outbox')
      .where({ tenant_id: tenantId, topic: 'hubspot.transaction' })
      .select('transaction_id', 'status')) as Array<{ transaction_id: string; status: string }>;
  // A transaction can be synced while a later job of it (another status) still waits for its
  // retry or for a lease a fault left behind: the outbox gets that long to finish.
  const deadline = Date.now() + DONE_WITHIN_MS;
  let jobs = await readJobs();
  while (jobs.some((job) => job.status !== 'done') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    jobs = await readJobs();
  }
  const jobsOf = new Map<string, number>();
  for (const job of jobs) jobsOf.set(job.transaction_id, (jobsOf.get(job.transaction_id) ?? 0) + 1);
  const mine = writes.filter((write) => jobsOf.has(write.transactionId));
  const byRelay: Record<string, number> = {};
  for (const write of mine) byRelay[write.relay] = (byRelay[write.relay] ?? 0) + 1;
  let redelivered = 0;
  let redeliveredOutsideFault = 0;
  const outsideAt: string[] = [];
  for (const [transactionId, its] of writesPerTransaction(mine)) {
    const extra = its.length - (jobsOf.get(transactionId) ?? 0);
    if (extra <= 0) continue;
    redelivered += extra;
    const first = Math.min(...its.map((write) => write.at));
    if (first < fault.from || first > fault.to) {
      redeliveredOutsideFault += extra;
      outsideAt.push(((first - fault.from) / 1000).toFixed(1));
    }
  }
  return {
    jobs: jobs.length,
    jobsDone: jobs.filter((job) => job.status === 'done').length,
    writes: mine.length,
    byRelay,
    redelivered,
    redeliveredOutsideFault,
    outsideAt,
  };
}
