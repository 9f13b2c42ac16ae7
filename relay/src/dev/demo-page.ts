import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCdnFromSources } from '../merchants/cdn-from-sources.js';

export interface DemoPageOptions {
  relayUrl: string;
  tenantId: string;
  /** The legacy (v2) form's GUID first, then the v4 form's. */
  formGuids: string[];
  /** The Stripe sandbox; without it the page loads the real Stripe.js. */
  stripeSandboxUrl: string | undefined;
  /**
   * The HubSpot sandbox: the embeds submit to it (as HubSpot's do to HubSpot) and the page links to
   * its view of the portal. Without it, submissions stay in the page.
   */
  hubspotSandbox?: { url: string; viewUrl: string } | undefined;
  port: number;
  host?: string;
  /** More pages to serve by path, e.g. a benchmark page (served from the same origin). */
  extraPages?: Record<string, string>;
}

export interface DemoPage {
  url: string;
  close(): Promise<void>;
}

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const EXAMPLE_DIR = root('examples/cdn-snippet');
const FAKES: Record<string, string> = {
  'stripe.js': root('packages/sandbox/browser/stripe.js'),
  'hubspot-v2.js': root('packages/sandbox/browser/hubspot-v2.js'),
  'hubspot-v4.js': root('packages/sandbox/browser/hubspot-v4.js'),
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** The HubSpot forms the fakes render: the payer's name and email, and the two hidden properties. */
function hubspotDefinitions(formGuids: string[]) {
  const fields = [
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'firstname', label: 'First name', type: 'text', required: true },
    { name: 'lastname', label: 'Last name', type: 'text', required: true },
    { name: 'onepagepay_transaction_id', type: 'hidden' },
    { name: 'onepagepay_payment_status', type: 'hidden' },
  ];
  const [legacy, v4] = formGuids;
  return {
    ...(legacy ? { [legacy]: { rawHtml: true, fields, submitText: 'Register and pay' } } : {}),
    ...(v4 ? { [v4]: { fields, submitText: 'Join and pay' } } : {}),
  };
}

/** The marketer's page with its placeholders filled in and remote scripts swapped for local ones. */
export function renderDemoPage(html: string, options: DemoPageOptions): string {
  const [legacy = '', v4 = ''] = options.formGuids;
  const head = [
    `<script>window.__hubspotSandbox = ${JSON.stringify({
      definitions: hubspotDefinitions(options.formGuids),
      ...(options.hubspotSandbox ? { submitUrl: options.hubspotSandbox.url } : {}),
    })};</script>`,
    ...(options.stripeSandboxUrl
      ? [`<script src="/__fakes/stripe.js" data-api-base="${options.stripeSandboxUrl}"></script>`]
      : []),
  ].join('\n    ');
  const banner = options.hubspotSandbox
    ? `<p class="demo-hubspot" style="font:14px system-ui,sans-serif;padding:.6rem 1rem;background:#fff4e5;border:1px solid #f5c26b;border-radius:6px">` +
      `Demo: pay with 4242 4242 4242 4242 or with PayPal (the sandbox's window approves), then <a id="hubspot-view" href="${options.hubspotSandbox.viewUrl}" target="_blank" rel="noopener">see what HubSpot received</a> ` +
      `(contact, deal, line item and form submission, in the local HubSpot sandbox).</p>`
    : '';
  return html
    .replace('<head>', `<head>\n    ${head}`)
    .replace(/<body([^>]*)>/, `<body$1>\n    ${banner}`)
    .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/@onepagepay\/cdn[^"]*/g, '/onepagepay.min.js')
    .replaceAll('YOUR-TENANT-ID', options.tenantId)
    .replaceAll('https://pay.example.com', options.relayUrl)
    .replaceAll('YOUR-LEGACY-FORM-GUID', legacy)
    .replaceAll('YOUR-V4-FORM-GUID', v4)
    .replace('https://js.hsforms.net/forms/embed/v2.js', '/__fakes/hubspot-v2.js')
    .replace(/https:\/\/js\.hsforms\.net\/forms\/embed\/developer\/\d+\.js/, '/__fakes/hubspot-v4.js');
}

/** The checkout's CDN package, built from its sources so the demo never serves a stale dist/. */
const CDN_PACKAGE_DIR = fileURLToPath(new URL('../../../packages/cdn', import.meta.url));

/** The PayPal half of the CDN script, which the core fetches from beside itself. */
const PAYPAL_HALF = /^\/onepagepay-paypal-[\w.-]+\.min\.js$/;

/**
 * Serves examples/cdn-snippet for `npm start`, wired to the local relay and the offline fakes of
 * Stripe.js and HubSpot's embeds, and returns its URL.
 */
export async function serveDemoPage(options: DemoPageOptions): Promise<DemoPage> {
  const bundle = await buildCdnFromSources(CDN_PACKAGE_DIR);
  const server = http.createServer((request, response) => {
    void answer(request.url ?? '/', options, bundle).then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        response.end(body);
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(url: string, options: DemoPageOptions, bundle: { core: string; paypal: string }) {
  const path = new URL(url, 'http://demo').pathname;
  const notFound = { status: 404, type: 'text/plain', body: 'Not found' };
  if (path === '/' || path === '/index.html') {
    const html = await readFile(join(EXAMPLE_DIR, 'index.html'), 'utf8');
    return { status: 200, type: TYPES['.html']!, body: renderDemoPage(html, options) };
  }
  const extra = options.extraPages?.[path];
  if (extra) return { status: 200, type: TYPES['.html']!, body: extra };
  if (path === '/onepagepay.min.js') return { status: 200, type: TYPES['.js']!, body: bundle.core };
  if (PAYPAL_HALF.test(path)) return { status: 200, type: TYPES['.js']!, body: bundle.paypal };
  const file = path.startsWith('/__fakes/')
    ? FAKES[path.slice('/__fakes/'.length)]
    : join(EXAMPLE_DIR, normalize(path).replace(/^(\.\.[/\\])+/, ''));
  const type = file ? TYPES[extname(file)] : undefined;
  if (!file || !type || !file.startsWith(root(''))) return notFound;
  const body = await readFile(file).catch(() => null);
  return body ? { status: 200, type, body } : notFound;
}
