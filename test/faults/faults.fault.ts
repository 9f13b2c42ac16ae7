/**
 * The fault suite: the two-zone topology as real processes (test/faults/support/world.ts), under
 * open-loop payment load, with real processes killed by signals. `npm run test:faults`.
 *
 *   FAULTS_SCALE   1 (default) is the full run recorded in docs/reliability.md; CI runs 0.1:
 *                  load durations and the number of kill trials scale with it.
 *   FAULTS_RATE    new payers per second (default 6; two cores are shared by everything here).
 *   FAULTS_KEEP    keep the PostgreSQL data and the logs (a failed run always keeps them).
 *   FAULTS_PG_PORT, FAULTS_HTTP_PORT  first ports used (default 55432 and 8180; see support/world.ts).
 */
import assert from 'node:assert/strict';
import { killBetweenChargeAndCommit } from './scenarios/kill-between.js';
import { killPrimary } from './scenarios/kill-primary.js';
import { killRelay } from './scenarios/kill-relay.js';
import { hubspotDown } from './scenarios/hubspot-down.js';
import { splitZone } from './scenarios/split-zone.js';
import { stripeDown } from './scenarios/stripe-down.js';
import { sweepOnly } from './scenarios/sweep-only.js';
import { printFigures, type Figures } from './support/ledger.js';
import { FaultWorld } from './support/world.js';

const scale = Number(process.env.FAULTS_SCALE ?? 1);
const rate = Number(process.env.FAULTS_RATE ?? 6);
const seconds = (full: number) => Math.max(8, Math.round(full * scale)) * 1000;
export const sizes = {
  rate,
  relayKillMs: seconds(60),
  primaryKillMs: seconds(90),
  // 10 simulated minutes (scenarios/hubspot-down.ts) in this much real time: at least 20 s, so
  // the clock runs at most 30 times real time and the workers' 2-minute lease stays 4 s long.
  hubspotDownMs: Math.max(20_000, seconds(60)),
  stripeDownMs: seconds(30),
  trials: Math.max(5, Math.round(100 * scale)),
  sweepTrials: Math.max(5, Math.round(30 * scale)),
  // The old primary notices it is cut off only when its standby's connection times out (30 s).
  splitMs: Math.max(30_000, seconds(60)),
};

describe(`fault suite (scale ${scale}, ${rate} payers/s)`, function () {
  this.timeout(0);
  let world: FaultWorld;
  const figures: Figures[] = [];
  const record = (result: Figures) => {
    figures.push(result);
    printFigures(result);
    assert.equal(result.lost, 0, `${result.scenario}: lost`);
    assert.equal(result.duplicated, 0, `${result.scenario}: duplicated`);
  };

  before(async () => {
    world = await FaultWorld.start();
  });
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    console.log('\n  figures:');
    figures.forEach(printFigures);
    const keep = failed || Boolean(process.env.FAULTS_KEEP);
    await world?.close(keep);
    if (keep) console.log(`  logs kept: ${world?.logDir} and ${world?.cluster?.dir}`);
  });

  it('one relay killed under load: HAProxy routes around it', async () => {
    record(await killRelay(world, sizes));
  });

  it('Stripe answering 500 and timing out: a clear payer error, no orphans, no duplicates', async () => {
    record(await stripeDown(world, sizes));
  });

  it('HubSpot down under load: no payment refused, every one synced after', async () => {
    record(await hubspotDown(world, sizes));
  });

  it(`a relay killed between Stripe's success and its commit: every charge recorded once`, async () => {
    record(await killBetweenChargeAndCommit(world, sizes));
  });

  it(`a relay killed after Stripe's success, the webhook lost and the payer gone: the sweeps record every charge once`, async () => {
    record(await sweepOnly(world, sizes));
  });

  it('the primary cut off from the monitor and the standby under load: no split brain, payments resume', async () => {
    record(await splitZone(world, sizes));
  });

  // Last: the primary's zone stays down afterwards.
  it('the primary PostgreSQL killed under load: failover, payments resume within 30 s', async () => {
    const result = await killPrimary(world, sizes);
    record(result);
    assert.ok(
      (result.failoverSeconds ?? Infinity) < 30,
      `payments resumed after ${result.failoverSeconds} s`,
    );
  });
});
