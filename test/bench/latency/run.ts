/**
 * test/bench/latency: payment latency as payers feel it, under open-loop load, and the relay's
 * memory over a long run. Same stack as the payments bench (PostgreSQL, the Stripe sandbox and the
 * relay in their own processes).
 *
 *   npm run bench:latency -- [--warm-up=3000] [--peak-payments=3000] [--concurrency=16]
 *                            [--open-warm-up=5] [--duration=30] [--slices=6] [--rounds=6]
 *                            [--fresh-sandbox=true] [--fractions=25,50,75]
 *                            [--memory-payments=100000] [--connections=256] [--build=false]
 *
 * 1. Warm-up: `warm-up` payments closed loop through the relay and as many direct ones.
 * 2. Peak: `peak-payments` more through the relay with the payments bench's closed-loop method
 *    (autocannon, `concurrency` connections); its rate is the peak the fractions refer to.
 * 3. For each fraction of that peak, both sides at the same fixed arrival rate for `duration`
 *    seconds each (after `open-warm-up` seconds of the same, unrecorded), in `slices` turns of
 *    `duration / slices` seconds that alternate between the sides (relay, direct, direct, relay,
 *    ...), so a stall of the machine (a checkpoint, autovacuum) lands on either side alike rather
 *    than on whichever side held the 30 s it fell in: p50, p99, p99.9 and max from an HDR histogram
 *    per side (its turns added), the generator's schedule lag, and relay-added p99 = relay p99 −
 *    direct p99 (target ≤ 5 ms at 50 %). Each of `rounds` rounds does that (its warm-up and its
 *    turns) on a new, empty Stripe sandbox unless `--fresh-sandbox=false`, and on tables just
 *    vacuumed; the rounds' turns are added up, and each round's own relay-added p99 is printed too.
 * 4. Memory: the relay's RSS during the 50 % phase, then its growth over `memory-payments` more
 *    payments at 50 % of peak (target < 10 %).
 *
 * Durations are in seconds and may be fractions; `--build=false` runs relay and sandbox from source
 * (how `npm test` runs it, with tiny counts, to prove the bench works; its figures mean nothing).
 */
import os from 'node:os';
import type { Histogram } from 'hdr-histogram-js';
import { formatRow, median, runConcurrently } from '../support/measure.js';
import { latencySummaryMs, mergeRuns, runOpenLoop, type OpenLoopRun } from '../support/open-loop.js';
import { startPaymentStack, BENCH_ORIGIN } from '../support/payment-stack.js';
import { processRssBytes, sampleRss } from '../support/rss.js';
import { relaySide } from '../payments/sides.js';
import { paymentSenders, type PaymentSender } from './payment-senders.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const warmUp = Number(args['warm-up'] ?? 3000);
const peakPayments = Math.max(1, Number(args['peak-payments'] ?? 3000));
const concurrency = Number(args.concurrency ?? 16);
const openWarmUpS = Number(args['open-warm-up'] ?? 5);
const durationS = Number(args.duration ?? 30);
const slices = Math.max(1, Math.round(Number(args.slices ?? 6)));
const fractions = (args.fractions ?? '25,50,75').split(',').map(Number);
const memoryPayments = Number(args['memory-payments'] ?? 100_000);
const connections = Number(args.connections ?? 256);
const rounds = Math.max(1, Math.round(Number(args.rounds ?? 6)));
const freshSandbox = args['fresh-sandbox'] !== 'false';
const MEMORY_FRACTION = 50;
const RELAY_ADDED_P99_TARGET_MS = 5;
const RSS_GROWTH_TARGET_PERCENT = 10;
const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' ');

console.log(
  `# latency bench: warm-up ${warmUp} per side, peak from ${peakPayments} closed-loop payments at concurrency ` +
    `${concurrency}, then ${fractions.join('/')} % of peak open loop for ${durationS} s per side and round ` +
    `in ${rounds} round(s) of ${slices} alternating turns${freshSandbox ? ', each on a new sandbox' : ''} ` +
    `(after ${openWarmUpS} s unrecorded), ${memoryPayments} payments at ${MEMORY_FRACTION} % for memory; ` +
    `load average ${loadAverage()}`,
);
const stack = await startPaymentStack({ build: args.build !== 'false' });
try {
  const senders = paymentSenders(stack, { connections });
  stack.onStop(() => senders.close());
  const relayPid = stack.relay.child.pid;

  const closedLoop = await stack.createPaymentMethods(warmUp * 2 + peakPayments);
  const viaRelayClosed = relaySide({
    relayUrl: stack.relayUrl,
    origin: BENCH_ORIGIN,
    tenantId: stack.tenantId,
    hubspotFormGuid: stack.form.hubspotFormGuid,
    paymentMethods: closedLoop.slice(0, warmUp + peakPayments),
    concurrency,
    pids: {},
  });
  if (warmUp > 0) {
    await viaRelayClosed(warmUp);
    const direct = closedLoop.slice(warmUp + peakPayments);
    await runConcurrently(warmUp, concurrency, (index) => senders.direct(direct[index] as string));
  }
  const peak = (await viaRelayClosed(peakPayments)).rate;
  console.log(formatRow(`peak, closed loop (c=${concurrency})`, { 'relay payments/s': peak }));

  let rssAtMemoryFraction: number[] = [];
  for (const [phase, fraction] of fractions.entries()) {
    const rate = (peak * fraction) / 100;
    const label = `${fraction} % of peak (${rate.toFixed(1)}/s)`;
    const sides = { relay: senders.relay, direct: senders.direct };
    const turns: Record<'relay' | 'direct', OpenLoopRun[]> = { relay: [], direct: [] };
    const rss = fraction === MEMORY_FRACTION ? sampleRss(relayPid, 250) : undefined;
    for (let round = 0; round < rounds; round += 1) {
      if (freshSandbox) await stack.restartSandbox();
      // As the payments bench does between its rounds: dead rows and an autovacuum pass left by the
      // payments before would otherwise land on whichever side runs first.
      await stack.knex.raw('vacuum analyze transactions, contacts, outbox, payment_throttle');
      // Every PaymentMethod of the round is made before it: none is made between its turns.
      const openLoop = await openLoopWithPaymentMethods(rate, 2 * openWarmUpS + 2 * durationS);
      for (const side of ['relay', 'direct'] as const) {
        if (openWarmUpS > 0) await openLoop(sides[side], openWarmUpS);
      }
      const roundTurns: typeof turns = { relay: [], direct: [] };
      for (let turn = 0; turn < slices; turn += 1) {
        // relay, direct, direct, relay, ...: each side goes first in half the turns.
        const relayFirst = (phase + round + turn) % 2 === 0;
        for (const side of relayFirst ? (['relay', 'direct'] as const) : (['direct', 'relay'] as const)) {
          roundTurns[side].push(await openLoop(sides[side], durationS / slices));
        }
      }
      turns.relay.push(...roundTurns.relay);
      turns.direct.push(...roundTurns.direct);
      if (rounds > 1) {
        const roundAdded =
          p99Ms(mergeRuns(roundTurns.relay).latency) - p99Ms(mergeRuns(roundTurns.direct).latency);
        console.log(formatRow(`${label}: round ${round + 1} relay-added p99`, { ms: roundAdded }));
      }
    }
    if (rss) rssAtMemoryFraction = rss.stop();
    const results = { relay: mergeRuns(turns.relay), direct: mergeRuns(turns.direct) };
    printSide(`${label}: relay`, results.relay);
    printSide(`${label}: direct`, results.direct);
    const added = p99Ms(results.relay.latency) - p99Ms(results.direct.latency);
    console.log(
      formatRow(`${label}: relay-added p99`, {
        ms: added,
        ...(fraction === MEMORY_FRACTION ? { target: `<= ${RELAY_ADDED_P99_TARGET_MS} ms` } : {}),
      }),
    );
  }
  if (rssAtMemoryFraction.length > 0) {
    console.log(
      formatRow(`relay RSS at ${MEMORY_FRACTION} % of peak`, { median_MB: mb(median(rssAtMemoryFraction)) }),
    );
  }

  if (memoryPayments > 0) {
    const rate = (peak * MEMORY_FRACTION) / 100;
    const paymentMethods = await stack.createPaymentMethods(memoryPayments);
    const before = processRssBytes(relayPid);
    const samples = sampleRss(relayPid, 1000);
    const run = await runOpenLoop({
      ratePerSecond: rate,
      count: memoryPayments,
      send: (index) => senders.relay(paymentMethods[index] as string),
    });
    const during = samples.stop();
    const after = processRssBytes(relayPid);
    printSide(`memory run, ${memoryPayments} at ${MEMORY_FRACTION} %: relay`, run);
    console.log(
      formatRow(`relay RSS over ${memoryPayments} payments`, {
        start_MB: mb(before),
        end_MB: mb(after),
        max_MB: mb(Math.max(...during)),
        growth_percent: ((after - before) / before) * 100,
        target: `< ${RSS_GROWTH_TARGET_PERCENT} %`,
      }),
    );
  }
  console.log(`load average at the end: ${loadAverage()}`);
} finally {
  await stack.stop();
}

/**
 * Makes enough PaymentMethods for `totalSeconds` of payments at `rate` (with one spare per run),
 * then returns what runs `seconds` of open-loop payments at that rate from them.
 */
async function openLoopWithPaymentMethods(rate: number, totalSeconds: number) {
  const runs = 2 + 2 * slices;
  const paymentMethods = await stack.createPaymentMethods(Math.ceil(rate * totalSeconds) + runs);
  let next = 0;
  return (send: PaymentSender, seconds: number): Promise<OpenLoopRun> => {
    const count = Math.max(1, Math.round(rate * seconds));
    const mine = paymentMethods.slice(next, next + count);
    next += count;
    if (mine.length < count) throw new Error('the phase ran out of PaymentMethods');
    return runOpenLoop({ ratePerSecond: rate, count, send: (index) => send(mine[index] as string) });
  };
}

function printSide(label: string, run: OpenLoopRun) {
  console.log(formatRow(label, { n: String(run.sent), ...latencySummaryMs(run.latency) }));
  const lag = latencySummaryMs(run.lag);
  console.log(
    formatRow(`  schedule lag`, { 'sent/s': run.sentRate, p99_ms: lag.p99_ms, max_ms: lag.max_ms }),
  );
}

function p99Ms(histogram: Histogram): number {
  return histogram.getValueAtPercentile(99) / 1000;
}

function mb(bytes: number): number {
  return bytes / 1024 / 1024;
}
