// Browser tests of the sandbox's fakes of Stripe.js and HubSpot's form embeds, in Chromium (CHROME_PATH).
// Run through test/browser/fakes/run.mjs (tsx + the source condition) so this config can start the
// TypeScript Stripe and HubSpot sandboxes in-process; pages read where they are from /__fakes/config.json.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, chromiumPath, testRunnerPort } from './test/support/browser.ts';

const FORM_FIELDS = [
  { name: 'email', required: true },
  'firstname',
  'lastname',
  'onepagepay_transaction_id',
  'onepagepay_payment_status',
];

async function startSandboxes() {
  try {
    const sandbox = await import('@onepagepay/sandbox');
    const stripe = await sandbox.startStripeSandbox({ host: '127.0.0.1', port: 0 });
    const hubspot = await sandbox.startHubSpotSandbox({ host: '127.0.0.1', port: 0 });
    const paypal = await sandbox.startPayPalSandbox({ host: '127.0.0.1', port: 0 });
    const { portalId } = hubspot.createPortal();
    const formGuid = hubspot.createForm(portalId, {
      fields: FORM_FIELDS,
      inlineMessage: 'Thanks from the sandbox.',
    });
    return { stripe, hubspot, paypal, portalId, formGuid };
  } catch (error) {
    console.warn(`[fakes] sandboxes not started (${error.message}); tests that need them will skip.`);
    return null;
  }
}

/**
 * What a merchant's server does around PayPal's buttons, for the fake JS SDK's tests: create an
 * order (Orders v2, with the app's token) and read it back, through the PayPal sandbox's REST API.
 */
async function paypalControl(paypal, context) {
  const basic = Buffer.from(`${paypal.credentials.clientId}:${paypal.credentials.clientSecret}`).toString(
    'base64',
  );
  const token = await fetch(`${paypal.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  }).then((response) => response.json());
  const headers = { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' };
  const order =
    context.path === '/__fakes/paypal/create-order'
      ? await fetch(`${paypal.url}/v2/checkout/orders`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            intent: 'CAPTURE',
            purchase_units: [{ amount: { currency_code: 'USD', value: '19.99' } }],
          }),
        })
      : await fetch(`${paypal.url}/v2/checkout/orders/${encodeURIComponent(String(context.query.id))}`, {
          headers,
        });
  return { body: JSON.stringify(await order.json()), type: 'application/json' };
}

/** Starts the Stripe and HubSpot sandboxes with the dev server and tells the pages where they are. */
function sandboxesPlugin() {
  let running = null;
  return {
    name: 'onepagepay-sandboxes',
    async serverStart() {
      running = await startSandboxes();
    },
    async serverStop() {
      await running?.stripe.close();
      await running?.hubspot.close();
      await running?.paypal.close();
    },
    serve(context) {
      if (context.path === '/__fakes/config.json') {
        const config = running
          ? {
              stripeApiBase: running.stripe.url,
              publishableKey: running.stripe.keys.publishableTest,
              secretKey: running.stripe.keys.secretTest,
              paypal: { url: running.paypal.url, clientId: running.paypal.credentials.clientId },
              hubspot: {
                url: running.hubspot.url,
                portalId: String(running.portalId),
                formGuid: running.formGuid,
              },
            }
          : { stripeApiBase: null, hubspot: null };
        return { body: JSON.stringify(config), type: 'application/json' };
      }
      if (context.path.startsWith('/__fakes/paypal/') && running)
        return paypalControl(running.paypal, context);
      if (context.path === '/__fakes/hubspot-submissions.json' && running) {
        const submissions = running.hubspot.formSubmissions(running.portalId, running.formGuid);
        return { body: JSON.stringify(submissions), type: 'application/json' };
      }
      return undefined;
    },
  };
}

/** `CHROME_PATH` (else Debian's Chromium), never a downloaded browser; flags from test/support/browser.ts. */
export function debianChromium() {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS },
  });
}

export default {
  rootDir: '.',
  port: testRunnerPort(),
  files: ['test/browser/fakes/**/*.test.js'],
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60000,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true }), sandboxesPlugin()],
  browsers: [debianChromium()],
};
