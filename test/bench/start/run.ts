/**
 * test/bench/start: how long `npm start` takes from the command to `/readyz` = 200, cold (a fresh
 * PGlite data directory: initdb, migrations, demo seed; and no cached bundle of the start entry, as
 * in a fresh clone: scripts/run-bundled.mjs builds it) and warm (the data directory and bundle the
 * cold run left behind: reopen only). Each run is a new process tree, as a newcomer starts it; the
 * median and range are printed with the machine's load average, since start-up is mostly CPU.
 *
 *   npm run bench:start [-- --runs=5]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatRow, median } from '../support/measure.js';
import { startNpmStart } from '../support/npm-start.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const runs = Number(args.runs ?? 5);
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Seconds from spawn to ready, for one `npm start` on `dataDir`. */
async function timeStart(dataDir: string, bundleCache: string): Promise<number> {
  const start = await startNpmStart(dataDir, { ONEPAGEPAY_BUNDLE_CACHE: bundleCache });
  try {
    const readyMs = await start.waitReady(300_000);
    if (readyMs === null) throw new Error(`npm start was not ready within 300 s:\n${start.output()}`);
    return readyMs / 1000;
  } finally {
    await start.stop();
  }
}

const fresh: number[] = [];
const reopened: number[] = [];
for (let run = 0; run < runs; run++) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-bench-start-'));
  // An empty bundle cache of its own (under node_modules/.cache, where run-bundled requires it).
  const bundleCache = path.join(ROOT, 'node_modules/.cache', path.basename(root));
  try {
    const dataDir = path.join(root, 'pglite');
    fresh.push(await timeStart(dataDir, bundleCache));
    reopened.push(await timeStart(dataDir, bundleCache));
  } finally {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(bundleCache, { recursive: true, force: true });
  }
  console.log(formatRow(`run ${run + 1}`, { coldS: fresh.at(-1)!, warmS: reopened.at(-1)! }));
}
const range = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
console.log(formatRow('npm start to /readyz, cold', { medianS: median(fresh), range: range(fresh) }));
console.log(formatRow('npm start to /readyz, warm', { medianS: median(reopened), range: range(reopened) }));
console.log(
  `load average while measuring: ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);
