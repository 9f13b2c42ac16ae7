// Browser tests of the sandbox's fakes of Stripe.js and HubSpot's form embeds, in Debian's Chromium.
// Run through test/browser/fakes/run.mjs so the Stripe sandbox (TypeScript) can be started here.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';

async function startStripe() {
  try {
    const sandbox = await import('@onepagepay/sandbox');
    if (typeof sandbox.startStripeSandbox !== 'function') return null;
    return await sandbox.startStripeSandbox({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    console.warn(`[fakes] Stripe sandbox not started (${error.message}); Stripe network tests will skip.`);
    return null;
  }
}

/** Starts the Stripe sandbox with the dev server and tells the pages where it is. */
function stripeSandboxPlugin() {
  let stripe = null;
  return {
    name: 'onepagepay-stripe-sandbox',
    async serverStart() {
      stripe = await startStripe();
    },
    async serverStop() {
      await stripe?.close?.();
    },
    serve(context) {
      if (context.path !== '/__fakes/config.json') return undefined;
      const config = stripe
        ? {
            stripeApiBase: stripe.url,
            publishableKey: stripe.keys.publishableTest,
            secretKey: stripe.keys.secretTest,
          }
        : { stripeApiBase: null };
      return { body: JSON.stringify(config), type: 'application/json' };
    },
  };
}

export default {
  rootDir: '.',
  files: ['test/browser/fakes/**/*.test.js'],
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60000,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true }), stripeSandboxPlugin()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
