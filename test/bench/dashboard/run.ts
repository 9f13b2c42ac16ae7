/**
 * test/bench/dashboard: how long the merchant dashboard's first page takes to become interactive,
 * in Chromium, on the demo data (the `npm start` tenant and its owner, with 100 transactions), next
 * to a baseline measured in the same run: a static page of the same bytes (the dashboard as
 * rendered, the same stylesheet, and a script of the same size that does nothing) from a plain
 * Node server on the same machine. The difference is what the dashboard itself costs: running its
 * script, the session and list requests to the relay, and rendering.
 *
 * "Interactive" is the first frame in which the Transactions page has its heading and its table
 * rows in the DOM, its script having run (the signed-in first page, ready for a click or a key). Each load is a fresh tab in one
 * signed-in browser context, timed from navigation start (performance.now() in the page).
 *
 *   node --conditions=@onepagepay/source --import tsx test/bench/dashboard/run.ts [--loads=31]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startStripeSandbox } from '@onepagepay/sandbox';
import type { BrowserContext } from 'playwright-core';
import { dashboardAssets } from '../../../relay/src/dashboard/bundle-dashboard.js';
import { DEMO_MERCHANT, seedDemo, seedDemoMerchant } from '../../../relay/src/dev/seed-demo.js';
import { seedTransactions } from '../../../relay/src/testing/merchant-fixtures.js';
import { startTestRelay } from '../../../relay/src/testing/test-relay.js';
import { launchChromium } from '../../support/browser.js';
import { formatRow, median, percentile } from '../support/measure.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const loads = Number(args.loads ?? 31);
const TARGET_MS = 1000;

/** Resolves, in the page, with performance.now() when the first page is interactive. */
const WATCH_INTERACTIVE = `
  window.__interactive = new Promise((resolve) => {
    const ready = () =>
      document.querySelector('main h2') &&
      document.querySelector('main table tbody tr') &&
      (window.__fillerRan ?? true);
    const check = () => (ready() ? resolve(performance.now()) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
`;

async function timeLoads(context: BrowserContext, url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const at = (await Promise.race([
      page.evaluate('window.__interactive'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${url} not interactive in 15 s`)), 15_000);
      }),
    ]).finally(() => clearTimeout(timer))) as number;
    // The first load warms Chromium's and the server's caches: not counted.
    if (i > 0) times.push(at);
    await page.close();
  }
  return times;
}

/** The baseline: the rendered dashboard as static HTML, its CSS, and a do-nothing script of its size. */
async function serveStaticCopy(renderedBody: string, script: string, style: string) {
  const tail = 'window.__fillerRan=true;';
  const filler = `/*${'x'.repeat(Math.max(0, Buffer.byteLength(script) - tail.length - 4))}*/${tail}`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OnePagePay dashboard</title>
<link rel="stylesheet" href="/app.css"><script type="module" src="/app.js"></script></head>
<body>${renderedBody}</body></html>`;
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', page],
    '/app.js': ['text/javascript', filler],
    '/app.css': ['text/css', style],
  };
  const server = http.createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    bytes: Buffer.byteLength(page) + Buffer.byteLength(filler) + Buffer.byteLength(style),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const started = performance.now();
const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
const relay = await startTestRelay(stripe, { env: { HUBSPOT_WORKER_ENABLED: 'false' } });
const browser = await launchChromium();
try {
  const { tenant } = await seedDemo(relay.database.knex, []);
  await seedDemoMerchant(relay.database.knex, tenant.id);
  await seedTransactions(relay.database.knex, tenant.id, { count: 100, product: 'Demo workshop' });
  const { script, style } = await dashboardAssets();

  const context = await browser.newContext();
  await context.addInitScript(WATCH_INTERACTIVE);
  const signIn = await context.newPage();
  await signIn.goto(`${relay.url}/dashboard`);
  await signIn.getByLabel('Email').fill(DEMO_MERCHANT.email);
  await signIn.getByLabel('Password').fill(DEMO_MERCHANT.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('heading', { name: 'Transactions' }).waitFor();
  await signIn.locator('main table tbody tr').first().waitFor();
  const renderedBody = await signIn.evaluate('document.body.innerHTML');
  await signIn.close();

  const dashboard = await timeLoads(context, `${relay.url}/dashboard`, loads);
  const copy = await serveStaticCopy(renderedBody as string, script, style);
  // Closed whatever happens: an open server would keep this process alive after a failure.
  const baseline = await timeLoads(context, copy.url, loads).finally(() => copy.close());

  const gzip = gzipSync(script, { level: 9 }).length;
  console.log(`Dashboard first page to interactive (${dashboard.length} loads each, Chromium, demo data):`);
  console.log(formatRow('  script', { bytes: Buffer.byteLength(script), gzipKB: gzip / 1024 }));
  console.log(
    formatRow('  dashboard (relay, PGlite)', {
      p50ms: median(dashboard),
      p90ms: percentile(dashboard, 90),
      maxms: Math.max(...dashboard),
    }),
  );
  console.log(
    formatRow('  baseline: static page, same bytes', {
      p50ms: median(baseline),
      p90ms: percentile(baseline, 90),
      maxms: Math.max(...baseline),
    }),
  );
  console.log(formatRow('  dashboard minus baseline', { p50ms: median(dashboard) - median(baseline) }));
  console.log(
    `  target: interactive within ${TARGET_MS} ms at p90: ${percentile(dashboard, 90) <= TARGET_MS ? 'met' : 'MISSED'}` +
      ` (static copy ${copy.bytes} B)`,
  );
} finally {
  await browser.close();
  await relay.close();
  await stripe.close();
}
console.log(`\n(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
