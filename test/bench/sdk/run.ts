/**
 * test/bench/sdk: the CDN bundle's sizes (raw and gzip: core without the provider modules, as
 * shipped with Stripe's loader and PayPal's stand-in, and the PayPal part it fetches), and the median time from the OnePagePay
 * script tag loading to the Payment Element being mounted, in Chromium with the sandbox's fakes of
 * Stripe.js and HubSpot's embed, against a real relay on PGlite on this machine.
 *
 *   node --conditions=@onepagepay/source --import tsx test/bench/sdk/run.ts [--loads=21]
 */
import { startStripeSandbox } from '@onepagepay/sandbox';
import { serveDemoPage } from '../../../relay/src/dev/demo-page.js';
import { DEMO_FORMS, seedDemo } from '../../../relay/src/dev/seed-demo.js';
import { startTestRelay } from '../../../relay/src/testing/test-relay.js';
import { formatRow, percentile } from '../support/measure.js';
import { freePort } from '../support/processes.js';
import { launchChromium } from '../../support/browser.js';
// @ts-expect-error the build script is plain JavaScript without types
import { bundleIife, describe as describeBundle } from '../../../packages/cdn/scripts/build.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const loads = Number(args.loads ?? 21);

interface Described {
  bytes: number;
  gzipBytes: number;
}

async function printSizes(): Promise<void> {
  console.log('CDN bundle sizes (minified; gzip -9):');
  for (const [label, options] of [
    ['core (no provider modules)', { stubProviders: true }],
    ['as shipped (Stripe loader, PayPal stand-in)', {}],
    ['PayPal part (fetched for PayPal forms)', { half: 'paypal' }],
  ] as const) {
    const size = describeBundle(label, await bundleIife(options)) as Described;
    console.log(
      formatRow(`  ${label}`, { bytes: size.bytes, gzip: size.gzipBytes, gzipKB: size.gzipBytes / 1024 }),
    );
  }
}

const BENCH_PAGE = (tenantId: string, relayUrl: string, stripeUrl: string, formId: string) => `<!doctype html>
<html><head><meta charset="utf-8">
<script>window.__hubspotSandbox = { definitions: { "${formId}": { rawHtml: true } } };</script>
<script src="/__fakes/stripe.js" data-api-base="${stripeUrl}"></script>
<script src="/__fakes/hubspot-v2.js"></script>
</head><body><div id="form"></div>
<script>
  hbspt.forms.create({ portalId: '4242', formId: '${formId}', target: '#form' });
  window.__bench = new Promise((resolve) => {
    const script = document.createElement('script');
    let loadedAt;
    script.onload = () => (loadedAt = performance.now());
    document.addEventListener('onepagepay:ready', () => resolve({ sinceLoad: performance.now() - loadedAt, sinceInsert: performance.now() - insertedAt }));
    script.src = '/onepagepay.min.js';
    script.dataset.tenant = '${tenantId}';
    script.dataset.relay = '${relayUrl}';
    const insertedAt = performance.now();
    document.head.appendChild(script);
  });
</script></body></html>`;

async function measureMount(): Promise<void> {
  const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
  const relay = await startTestRelay(stripe);
  const port = await freePort();
  const { tenant } = await seedDemo(relay.database.knex, [`http://127.0.0.1:${port}`]);
  const demo = await serveDemoPage({
    relayUrl: relay.url,
    tenantId: tenant.id,
    formGuids: [DEMO_FORMS.legacyV2.guid, DEMO_FORMS.v4.guid],
    stripeSandboxUrl: stripe.url,
    port,
    extraPages: { '/bench.html': BENCH_PAGE(tenant.id, relay.url, stripe.url, DEMO_FORMS.legacyV2.guid) },
  });
  const browser = await launchChromium();
  const sinceLoad: number[] = [];
  const sinceInsert: number[] = [];
  try {
    for (let i = 0; i < loads; i += 1) {
      const page = await browser.newPage();
      await page.goto(`${demo.url}bench.html`);
      page.on('pageerror', (error) => console.error('page error:', error.message));
      const timing = (await Promise.race([
        page.evaluate('window.__bench'),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the Payment Element did not mount in 15 s')), 15_000),
        ),
      ])) as { sinceLoad: number; sinceInsert: number };
      // The first load warms the relay's caches and Chromium: not counted.
      if (i > 0) {
        sinceLoad.push(timing.sinceLoad);
        sinceInsert.push(timing.sinceInsert);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await demo.close();
    await relay.close();
    await stripe.close();
  }
  console.log(
    `\nScript tag to Payment Element mounted (${sinceLoad.length} page loads, fakes, local relay):`,
  );
  console.log(
    formatRow('  from the script load event', {
      p50ms: percentile(sinceLoad, 50),
      p90ms: percentile(sinceLoad, 90),
    }),
  );
  console.log(
    formatRow('  from inserting the tag', {
      p50ms: percentile(sinceInsert, 50),
      p90ms: percentile(sinceInsert, 90),
    }),
  );
}

const started = performance.now();
await printSizes();
await measureMount();
console.log(`\n(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
