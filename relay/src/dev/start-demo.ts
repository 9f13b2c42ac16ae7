import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startHubSpotSandbox, startPayPalSandbox, startStripeSandbox } from '@onepagepay/sandbox';
import { loadConfig, readDataDir } from '../config.js';
import { createLogger } from '../logger.js';
import { startRelay, stopOnSignals } from '../server.js';
import { openDatabase } from '../db/open-database.js';
import { connectDemoHubSpot } from './connect-demo-hubspot.js';
import { demoSandboxStateFile } from './demo-data.js';
import { serveDemoPage } from './demo-page.js';
import { loadOrCreateDevEncryptionKeys } from './dev-encryption-key.js';
import { seedDemo, seedDemoMerchant, DEMO_FORMS, DEMO_MERCHANT } from './seed-demo.js';

const DEMO_PAYPAL_WEBHOOK_ID = 'WHDEMO0NEPAGEPAY1';

/**
 * `npm start`: the whole product on one machine with nothing installed and no network. Without
 * STRIPE_SECRET_KEY the relay talks to the offline Stripe sandbox; with it, to the configured Stripe.
 */
async function startDemo(): Promise<void> {
  const env = { ...process.env };
  const useSandbox = !env.STRIPE_SECRET_KEY && !env.STRIPE_TEST_SECRET_KEY && !env.STRIPE_LIVE_SECRET_KEY;
  const needsPayPal = !env.PAYPAL_TEST_CLIENT_ID && !env.PAYPAL_LIVE_CLIENT_ID;
  // Without STRIPE_SECRET_KEY, a PayPal app or HUBSPOT_API_BASE, each of those is its offline
  // sandbox. They do not depend on one another, nor on the database, so all of them start together:
  // PGlite compiles its WebAssembly on other threads meanwhile.
  const [sandbox, paypal, hubspot, pglite] = await Promise.all([
    // The Stripe sandbox keeps its objects beside the database, so a restart leaves both consistent.
    useSandbox
      ? startStripeSandbox({
          port: Number(env.STRIPE_SANDBOX_PORT ?? 12111),
          stateFile: demoSandboxStateFile(readDataDir(env)),
        })
      : undefined,
    // The PayPal sandbox comes with its fake of PayPal's JS SDK.
    needsPayPal ? startPayPalSandbox({ port: Number(env.PAYPAL_SANDBOX_PORT ?? 0) }) : undefined,
    env.HUBSPOT_API_BASE
      ? undefined
      : startHubSpotSandbox({ port: Number(env.HUBSPOT_SANDBOX_PORT ?? 12112) }),
    // Without DATABASE_URL the relay runs on PGlite in the data directory.
    env.DATABASE_URL ? undefined : openDatabase({ dataDir: readDataDir(env) }),
  ]);
  if (sandbox) {
    const webhookSecret = `whsec_demo_${randomBytes(16).toString('hex')}`;
    Object.assign(env, {
      STRIPE_API_BASE: sandbox.url,
      STRIPE_TEST_SECRET_KEY: sandbox.keys.secretTest,
      STRIPE_TEST_PUBLISHABLE_KEY: sandbox.keys.publishableTest,
      STRIPE_TEST_WEBHOOK_SECRET: webhookSecret,
    });
  }
  if (paypal) {
    Object.assign(env, {
      PAYPAL_API_BASE: paypal.url,
      PAYPAL_TEST_CLIENT_ID: paypal.credentials.clientId,
      PAYPAL_TEST_CLIENT_SECRET: paypal.credentials.clientSecret,
      PAYPAL_TEST_WEBHOOK_ID: DEMO_PAYPAL_WEBHOOK_ID,
    });
  }
  // The relay pushes to the offline HubSpot sandbox, connected below.
  if (hubspot) env.HUBSPOT_API_BASE = hubspot.url;
  // Tokens and TOTP secrets are sealed as always. The demo keeps its key beside its data, so what
  // an earlier run sealed (a merchant's 2FA secret) still opens after a restart.
  if (!env.ONEPAGEPAY_ENCRYPTION_KEYS) {
    const dataDir = path.resolve(env.ONEPAGEPAY_DATA_DIR ?? '.data/pglite');
    env.ONEPAGEPAY_ENCRYPTION_KEYS = await loadOrCreateDevEncryptionKeys(dataDir);
    console.warn(
      `  DEV ONLY: ONEPAGEPAY_ENCRYPTION_KEYS is unset, so the demo seals secrets with a development key kept in ${path.dirname(dataDir)}/dev-encryption-key. Never use it in production.`,
    );
  }
  const config = loadConfig(env);
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn' });
  const relay = await startRelay({ config, logger, ...(pglite ? { database: pglite } : {}) });
  sandbox?.setWebhook({
    url: `${relay.url}/v1/webhooks/stripe`,
    secret: String(env.STRIPE_TEST_WEBHOOK_SECRET),
  });

  paypal?.setWebhook({ url: `${relay.url}/v1/webhooks/paypal`, webhookId: DEMO_PAYPAL_WEBHOOK_ID });

  const demoPort = Number(env.DEMO_PORT ?? 8080);
  const demoOrigins = [`http://127.0.0.1:${demoPort}`, `http://localhost:${demoPort}`];
  const { tenant } = await seedDemo(relay.database.knex, demoOrigins);
  if (sandbox) await seedDemoMerchant(relay.database.knex, tenant.id);
  const formGuids = Object.values(DEMO_FORMS).map((form) => form.guid);
  const crm = hubspot
    ? await connectDemoHubSpot({ knex: relay.database.knex, config, logger, hubspot }, tenant.id, formGuids)
    : undefined;
  const demoPage = await serveDemoPage({
    relayUrl: relay.url,
    tenantId: tenant.id,
    formGuids,
    stripeSandboxUrl: sandbox?.url,
    hubspotSandbox: hubspot && crm ? { url: hubspot.url, viewUrl: crm.viewUrl } : undefined,
    port: demoPort,
  });

  const banner = sandbox
    ? ['', '  *** SANDBOX MODE: no real money moves. Stripe is the offline OnePagePay sandbox. ***', '']
    : [''];
  console.log(
    [
      ...banner,
      `  Relay:        ${relay.url}   (ready: ${relay.url}/readyz, API reference: ${relay.url}/docs)`,
      `  Database:     ${relay.database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
      ...(sandbox
        ? [
            `  Stripe:       sandbox at ${sandbox.url} (test card 4242 4242 4242 4242, 3-D Secure 4000 0025 0000 3155)`,
            `                objects kept in ${demoSandboxStateFile(config.dataDir)}; \`npm run demo:reset\` forgets both`,
          ]
        : []),
      ...(paypal
        ? [`  PayPal:       sandbox at ${paypal.url} (press PayPal, then "Pay now" in the sandbox's window)`]
        : []),
      ...(crm
        ? [`  HubSpot:      sandbox portal ${crm.portalId}, connected; what it received: ${crm.viewUrl}`]
        : []),
      `  Demo tenant:  ${tenant.id}`,
      `  Demo forms:   ${DEMO_FORMS.legacyV2.guid} (HubSpot v2 embed), ${DEMO_FORMS.v4.guid} (v4 embed)`,
      `  Demo page:    ${demoPage.url}`,
      `  Dashboard:    ${relay.url}/dashboard`,
      ...(sandbox
        ? [`                sign in as ${DEMO_MERCHANT.email} / ${DEMO_MERCHANT.password} (sandbox only)`]
        : []),
      '',
    ].join('\n'),
  );
  stopOnSignals(async () => {
    await demoPage.close();
    await relay.close();
    // Opened here, not by the relay, so closed here too.
    await pglite?.close();
    await sandbox?.close();
    await paypal?.close();
    await hubspot?.close();
  }, logger);
}

startDemo().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
