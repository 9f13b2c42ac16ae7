import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { paymentRequest } from '../../../relay/src/testing/payment-fixtures.js';
import { postJsonLoad } from '../support/http-load.js';
import { percentile, runConcurrently } from '../support/measure.js';
import { cpuPerPayment, cpuSnapshot, type CpuPerPayment } from './cpu-split.js';
import { issueRelaySqlForOnePayment } from './relay-sql.js';

export interface Round {
  rate: number;
  p50Ms: number;
  p99Ms: number;
  cpu: CpuPerPayment;
}

/** One side of the comparison: `count` more payments (or baseline transactions), measured. */
export type Side = (count: number) => Promise<Round>;

/**
 * POST /v1/payments through the relay, each a new payer with a PaymentMethod made beforehand, every
 * answer checked for `succeeded`. Successive calls use the next unused PaymentMethods.
 */
export function relaySide(options: {
  relayUrl: string;
  origin: string;
  tenantId: string;
  hubspotFormGuid: string;
  paymentMethods: string[];
  concurrency: number;
  pids: { relay?: number; sandbox?: number };
}): Side {
  let paid = 0;
  return async (count) => {
    const offset = paid;
    paid += count;
    const before = cpuSnapshot(options.pids);
    const load = await postJsonLoad({
      url: options.relayUrl,
      path: '/v1/payments',
      headers: { origin: options.origin },
      total: count,
      concurrency: options.concurrency,
      body: (index) => {
        const payer = offset + index;
        const paymentMethod = options.paymentMethods[payer];
        if (!paymentMethod) throw new Error(`no PaymentMethod made for payment ${payer}`);
        return paymentRequest(options.tenantId, options.hubspotFormGuid, paymentMethod, {
          contact: {
            email: `payer${payer}@bench.example.com`,
            firstName: 'Bench',
            lastName: `Payer${payer}`,
          },
        });
      },
      isExpected: (status, body) => status === 200 && body.includes('"status":"succeeded"'),
    });
    return { ...load, cpu: cpuPerPayment(before, cpuSnapshot(options.pids), count) };
  };
}

/** The relay's SQL for one payment, sent directly with `pg` (relay-sql.ts), at the same concurrency. */
export function baselineSide(options: {
  pool: pg.Pool;
  tenantId: string;
  formId: string;
  concurrency: number;
}): Side {
  let issued = 0;
  return async (count) => {
    const offset = issued;
    issued += count;
    const before = cpuSnapshot({});
    const run = await runConcurrently(count, options.concurrency, (index) =>
      issueRelaySqlForOnePayment(options.pool, {
        tenantId: options.tenantId,
        formId: options.formId,
        index: offset + index,
        id: randomUUID(),
      }),
    );
    return {
      rate: (count / run.elapsedMs) * 1000,
      p50Ms: percentile(run.latenciesMs, 50),
      p99Ms: percentile(run.latenciesMs, 99),
      cpu: cpuPerPayment(before, cpuSnapshot({}), count),
    };
  };
}
