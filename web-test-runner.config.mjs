// Browser tests of the SDK and the CDN bundle, in Debian's Chromium, against a real relay and the
// Stripe sandbox with the sandbox's fake Stripe.js and HubSpot embeds. Run through
// `npm run test:browser` (node with tsx and the source condition, so this file can start the
// TypeScript relay in-process).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCdn, paypalHalfName } from './packages/cdn/scripts/build.mjs';
import fakesConfig, { debianChromium } from './web-test-runner.fakes.config.mjs';
import {
  describeForm,
  PROBE_INTERVAL_MS,
  setHubSpotOutage,
  startDistantRelay,
  startStack,
} from './test/browser/sdk/stacks.ts';

/** Starts the relays, builds the CDN bundle, and serves /__env.json and /__control/* to the pages. */
function sdkEnvironmentPlugin() {
  let main;
  let down;
  let cdn;
  let distant;
  let origins;
  // Started on first use: only the HubSpot-outage test needs a relay that probes HubSpot.
  let probing;
  const probingStack = () => (probing ??= startStack(origins, { probeHubSpot: true }));
  return {
    name: 'onepagepay-sdk-environment',
    async serverStart({ config }) {
      origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
      [main, down, cdn] = await Promise.all([
        startStack(origins),
        startStack(origins, { stripeDown: true }),
        buildCdn({ outDir: await mkdtemp(join(tmpdir(), 'onepagepay-cdn-')) }),
      ]);
      distant = await startDistantRelay(main.relay.url);
    },
    async serverStop() {
      await Promise.all([main?.close(), down?.close(), distant?.close(), probing?.then((s) => s.close())]);
    },
    async serve(context) {
      const json = (body) => ({ body: JSON.stringify(body), type: 'application/json' });
      const named = context.query.stack;
      const stack = named === 'down' ? down : named === 'hubspot' ? await probingStack() : main;
      switch (context.path) {
        case '/__env.json':
          return json({
            relayUrl: main.relay.url,
            distantRelayUrl: distant.url,
            tenantId: main.tenantId,
            challengeTenantId: main.challengeTenantId,
            stripeUrl: main.stripe.url,
            paypalUrl: main.paypal.url,
            down: { relayUrl: down.relay.url, tenantId: down.tenantId, stripeUrl: down.stripe.url },
            cdnPath: '/__cdn/onepagepay.min.js',
            // SRI: the core's hash (to load it pinned) and its PayPal half's, which the core carries.
            cdnIntegrity: cdn.manifest.files[1].integrity,
            paypalIntegrity: cdn.manifest.lazy[0].integrity,
            // The same core beside a PayPal half that changed after the build (a CDN tampered with).
            tamperedCdnPath: '/__cdn-tampered/onepagepay.min.js',
          });
        case '/__cdn/onepagepay.min.js':
        case `/__cdn/${paypalHalfName(cdn.manifest.version)}`:
          return { body: await readFile(join(cdn.outDir, context.path.slice(7)), 'utf8'), type: 'js' };
        case '/__cdn-tampered/onepagepay.min.js':
          return { body: await readFile(join(cdn.outDir, 'onepagepay.min.js'), 'utf8'), type: 'js' };
        case `/__cdn-tampered/${paypalHalfName(cdn.manifest.version)}`: {
          const half = await readFile(join(cdn.outDir, paypalHalfName(cdn.manifest.version)), 'utf8');
          return { body: `${half}\nwindow.__onepagepayTampered = true;\n`, type: 'js' };
        }
        case '/__control/new-form': {
          const amount = context.query.amount ? Number(context.query.amount) : undefined;
          const customAmount = context.query.min
            ? { min: Number(context.query.min), max: Number(context.query.max) }
            : undefined;
          const currency = context.query.currency ? String(context.query.currency) : undefined;
          const providers = context.query.providers ? String(context.query.providers).split(',') : undefined;
          const challenge = context.query.challenge === 'always';
          return json({
            formId: await stack.newForm({ amount, currency, customAmount, providers, challenge }),
          });
        }
        case '/__control/challenge-verdict':
          stack.challenge.setVerdict(context.query.mode === 'fail' ? 'fail' : 'as-solved');
          return json({ mode: context.query.mode });
        case '/__control/hubspot-outage': {
          const outage = await setHubSpotOutage(stack, context.query.mode === 'down' ? 'down' : 'none');
          return json({
            ...outage,
            probeIntervalMs: PROBE_INTERVAL_MS,
            relayUrl: stack.relay.url,
            tenantId: stack.tenantId,
          });
        }
        case '/__control/form':
          return json(await describeForm(stack, String(context.query.id)));
        default:
          return undefined;
      }
    },
  };
}

export default {
  rootDir: '.',
  port: fakesConfig.port,
  // The sandbox fakes' own browser tests (web-test-runner.fakes.config.mjs) run here too, with
  // their plugin (which serves only /__fakes/*), so `npm test` covers both in one browser run.
  files: ['test/browser/sdk/**/*.test.js', ...fakesConfig.files],
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  // Generous: on a loaded 2-core machine a 3-D Secure round trip plus a retry can take seconds.
  testFramework: { config: { timeout: 30000 } },
  plugins: [...fakesConfig.plugins, sdkEnvironmentPlugin()],
  browsers: [debianChromium()],
};
