/**
 * `npm start` in examples/npm-app: builds the app with esbuild (as a web developer's bundler would
 * consume @onepagepay/sdk) and serves it on http://127.0.0.1:8081 (or `PORT`), against a local relay (in-memory
 * PGlite) and the offline Stripe sandbox, with the sandbox's fakes of Stripe.js and HubSpot's v4 embed.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startStripeSandbox } from '@onepagepay/sandbox';
import { readInteger } from '../../relay/src/config.js';
import { createForm } from '../../relay/src/tenants/create-form.js';
import { createTenant } from '../../relay/src/tenants/create-tenant.js';
import { startTestRelay } from '../../relay/src/testing/test-relay.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const FORM_ID = '0e7a5f1c-0000-4000-8000-0000000a9901';

export async function startNpmApp(options: { port?: number } = {}) {
  const app = await build({
    entryPoints: [here('src/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    // Inside this repository the SDK resolves to its sources; an app outside gets the published dist.
    conditions: ['@onepagepay/source'],
  });
  const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
  const relay = await startTestRelay(stripe);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 8081, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tenant = await createTenant(relay.database.knex, { name: 'npm app example', origins: [origin] });
  await createForm(relay.database.knex, {
    tenantId: tenant.id,
    hubspotFormGuid: FORM_ID,
    productName: 'Membership',
    amount: 2900,
    currency: 'EUR',
  });
  const definition = {
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'firstname', label: 'First name', required: true },
      { name: 'lastname', label: 'Last name', required: true },
      { name: 'onepagepay_transaction_id', type: 'hidden' },
      { name: 'onepagepay_payment_status', type: 'hidden' },
    ],
    submitText: 'Join',
  };
  const head = [
    `<script>window.APP_CONFIG = ${JSON.stringify({ tenantId: tenant.id, relayUrl: relay.url, formId: FORM_ID, portalId: '4242' })};</script>`,
    `<script>window.__hubspotSandbox = { definitions: ${JSON.stringify({ [FORM_ID]: definition })} };</script>`,
    `<script src="/fakes/stripe.js" data-api-base="${stripe.url}"></script>`,
    '<script src="/fakes/hubspot-v4.js"></script>',
  ].join('\n    ');
  const files: Record<string, () => Promise<{ type: string; body: string | Uint8Array }>> = {
    '/': async () => ({
      type: 'text/html; charset=utf-8',
      body: (await readFile(here('index.html'), 'utf8')).replace('<!--HEAD-->', head),
    }),
    '/app.js': async () => ({ type: 'text/javascript', body: app.outputFiles[0]!.contents }),
    '/fakes/stripe.js': async () => ({
      type: 'text/javascript',
      body: await readFile(here('../../packages/sandbox/browser/stripe.js')),
    }),
    '/fakes/hubspot-v4.js': async () => ({
      type: 'text/javascript',
      body: await readFile(here('../../packages/sandbox/browser/hubspot-v4.js')),
    }),
  };
  server.on('request', (request, response) => {
    const file = files[new URL(request.url ?? '/', origin).pathname];
    if (!file) return void response.writeHead(404).end();
    void file().then(({ type, body }) => response.writeHead(200, { 'content-type': type }).end(body));
  });
  return {
    url: `${origin}/`,
    relay,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await relay.close();
      await stripe.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startNpmApp({ port: readInteger(process.env, 'PORT', 8081, 0, 65535) });
  console.log(`npm app example: ${url}  (sandbox: pay with 4242 4242 4242 4242; Ctrl+C to stop)`);
}
