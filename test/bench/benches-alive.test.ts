/**
 * Keeps every bench under test/bench working: each entry runs here with tiny counts (seconds of
 * work), as its own process the way its docs say to run it, and must exit 0 and print its figures
 * as numbers. The figures of such runs mean nothing and nothing here checks them against a target:
 * the full runs stay out of `npm test` (docs/benchmarks.md). A new bench entry (`run*.ts`) must be
 * added to BENCHES, or the first test fails.
 *
 * The benches that need PostgreSQL (both sides of their comparison speak the wire protocol) run
 * when TEST_DATABASE_URL names one, as the other PostgreSQL-only suites do (`npm run test:postgres`,
 * and CI); the others run in every `npm test`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Bench {
  entry: string;
  args: string[];
  env?: Record<string, string>;
  postgres: boolean;
  /** Lines the run must print, each with a number where the figure goes. */
  prints: RegExp[];
}

const NUMBER = String.raw`-?\d[\d,]*(?:\.\d+)?`;
const line = (label: string, ...figures: string[]) =>
  new RegExp(`^\\s*${label}\\s+${figures.map((name) => `${name}=${NUMBER}`).join('\\s+')}`, 'm');

const BENCHES: Bench[] = [
  {
    entry: 'test/bench/payments/run.ts',
    args: ['--build=false', '--payments=10', '--warm-up=5', '--rounds=1', '--concurrency=4'],
    postgres: true,
    prints: [
      line('relay POST /v1/payments, median', 'payments/s', 'p50_ms', 'p99_ms'),
      line('baseline: same SQL via pg, median', 'tx/s', 'p50_ms', 'p99_ms'),
      line('ratio relay / baseline', 'median', 'min', 'max'),
    ],
  },
  {
    entry: 'test/bench/payments/run-paypal.ts',
    args: ['--build=false', '--payments=5', '--warm-up=2', '--rounds=1', '--concurrency=4'],
    postgres: true,
    prints: [
      line('PayPal: relay payments/s, median', 'payments/s'),
      line('PayPal: ratio relay / baseline', 'median', 'min', 'max'),
    ],
  },
  {
    entry: 'test/bench/latency/run.ts',
    args: [
      '--build=false',
      '--warm-up=5',
      '--peak-payments=10',
      '--concurrency=4',
      '--open-warm-up=0',
      '--duration=0.5',
      '--rounds=2',
      '--fractions=50',
      '--memory-payments=10',
    ],
    postgres: true,
    prints: [
      line(String.raw`peak, closed loop \(c=4\)`, 'relay payments/s'),
      line(String.raw`50 % of peak \([\d.]+/s\): round 2 relay-added p99`, 'ms'),
      line(String.raw`50 % of peak \([\d.]+/s\): relay`, 'n', 'p50_ms', 'p99_ms', 'p99\\.9_ms', 'max_ms'),
      line(String.raw`50 % of peak \([\d.]+/s\): direct`, 'n', 'p50_ms', 'p99_ms', 'p99\\.9_ms', 'max_ms'),
      line('schedule lag', 'sent/s', 'p99_ms', 'max_ms'),
      line(String.raw`50 % of peak \([\d.]+/s\): relay-added p99`, 'ms'),
      line('relay RSS at 50 % of peak', 'median_MB'),
      line('relay RSS over 10 payments', 'start_MB', 'end_MB', 'max_MB', 'growth_percent'),
    ],
  },
  {
    entry: 'test/bench/merchant-api/run.ts',
    args: [],
    env: { BENCH_ROWS: '2000', BENCH_SAMPLES: '3', BENCH_WARM_UP: '1' },
    postgres: true,
    prints: [
      new RegExp(String.raw`^list deep cursor \(HTTP\)\s+p50\s+${NUMBER} ms\s+p99\s+${NUMBER} ms`, 'm'),
      new RegExp(String.raw`^ratio CSV/SQL rows/s\s+${NUMBER}x`, 'm'),
    ],
  },
  {
    entry: 'test/bench/stripe-transport/run.ts',
    args: ['--payments=10', '--rounds=1', '--warm-up=5'],
    postgres: false,
    prints: [line('ratio undici / node:http', 'ratio')],
  },
  {
    entry: 'test/bench/hubspot-sync/run.ts',
    args: ['--records=200'],
    postgres: false,
    prints: [line('hubspot push', 'records', 'closed tabs %', 'seconds', 'overall records/s')],
  },
  {
    entry: 'test/bench/sdk/run.ts',
    // The first load is a warm-up and not counted: two loads give one figure.
    args: ['--loads=2'],
    postgres: false,
    prints: [
      line(String.raw`core \(no provider modules\)`, 'bytes', 'gzip', 'gzipKB'),
      line('from the script load event', 'p50ms', 'p90ms'),
    ],
  },
  {
    entry: 'test/bench/dashboard/run.ts',
    // The first load of each page is a warm-up and not counted: two loads give one figure.
    args: ['--loads=2'],
    postgres: false,
    prints: [
      line(String.raw`dashboard \(relay, PGlite\)`, 'p50ms', 'p90ms', 'maxms'),
      line('baseline: static page, same bytes', 'p50ms', 'p90ms', 'maxms'),
    ],
  },
  {
    entry: 'test/bench/start/run.ts',
    args: ['--runs=1'],
    postgres: false,
    prints: [line('npm start to /readyz, cold', 'medianS'), line('npm start to /readyz, warm', 'medianS')],
  },
];

describe('benches under test/bench, with tiny counts', function () {
  // Seconds of work each on a quiet machine; a busy shared one can take minutes.
  this.timeout(600_000);

  it('lists every bench entry', () => {
    const entries = readdirSync(path.join(ROOT, 'test/bench'), { withFileTypes: true, recursive: true })
      .filter((file) => file.isFile() && /^run.*\.ts$/.test(file.name))
      .map((file) => path.relative(ROOT, path.join(file.parentPath, file.name)))
      .sort();
    assert.deepEqual(entries, BENCHES.map((bench) => bench.entry).sort());
  });

  for (const bench of BENCHES) {
    it(`${bench.entry} runs and prints its figures`, async function () {
      const databaseUrl = process.env.TEST_DATABASE_URL;
      if (bench.postgres && !databaseUrl) return this.skip();
      const output = await runBench(bench, databaseUrl);
      for (const expected of bench.prints) assert.match(output, expected);
    });
  }
});

/**
 * Runs one bench in its own process group. A run that outlives RUN_DEADLINE_MS is killed with
 * everything it started (a browser, a relay) and tried once more: on 2026-12-07 one tiny run of
 * the dashboard bench hung in a fresh clone's `npm test` and held mocha for its whole 600 s with
 * nothing printed, then passed on every rerun. A second timeout fails with what the run printed.
 */
async function runBench(bench: Bench, databaseUrl: string | undefined): Promise<string> {
  const first = await runBenchOnce(bench, databaseUrl);
  if (!first.timedOut) return first.stdout;
  console.warn(
    `    ${bench.entry} ran past ${RUN_DEADLINE_MS / 1000} s and was killed; running it once more`,
  );
  const second = await runBenchOnce(bench, databaseUrl);
  if (second.timedOut) {
    throw new Error(
      `${bench.entry} ran past ${RUN_DEADLINE_MS / 1000} s twice\n${second.stdout}\n${second.stderr}`,
    );
  }
  return second.stdout;
}

const RUN_DEADLINE_MS = 240_000;

function runBenchOnce(
  bench: Bench,
  databaseUrl: string | undefined,
): Promise<{ stdout: string; stderr: string; timedOut: boolean }> {
  const node = ['--conditions=@onepagepay/source', '--import', 'tsx', bench.entry, ...bench.args];
  const env = { ...process.env, ...bench.env, ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, node, { cwd: ROOT, env, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, RUN_DEADLINE_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      if (timedOut || code === 0) resolve({ stdout, stderr, timedOut });
      else reject(new Error(`${bench.entry} failed (${code ?? signal})\n${stdout}\n${stderr}`));
    });
  });
}
