import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { useRelayWithSandbox } from '../testing/use-relay.js';

describe('GET /docs: the API reference page (Chromium)', function () {
  this.timeout(120_000);
  const h = useRelayWithSandbox();
  let browser: Browser;

  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  after(() => browser?.close());

  it('serves the page under a strict CSP: scripts from the relay only, no inline script, no eval', async () => {
    const response = await fetch(`${h.relay.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^text\/html/);
    const csp = String(response.headers.get('content-security-policy'));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'scripts only from the relay itself');
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:|\*/, 'no eval and no other hosts');
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is loaded by URL');
    assert.doesNotMatch(html, /\bon[a-z]+=|javascript:/i, 'no inline handlers');
    const bundle = await fetch(`${h.relay.url}/docs/scalar.js`);
    assert.equal(bundle.status, 200);
    assert.match(String(bundle.headers.get('content-type')), /javascript/);
    // JSON routes keep their own, stricter policy.
    const json = await fetch(`${h.relay.url}/v1/openapi.json`);
    assert.match(
      String(json.headers.get('content-security-policy')),
      /^default-src 'none';\s*frame-ancestors/,
    );
  });

  it('renders every operation from /v1/openapi.json with no CSP violation and no request elsewhere', async () => {
    const openapi = (await (await fetch(`${h.relay.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary: string }>>;
    };
    const summaries = Object.values(openapi.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.summary),
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(h.relay.url) && !request.url().startsWith('data:'))
        foreign.push(request.url());
    });
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() => {
      // Runs in the page: the DOM types are not part of this Node project's lib.
      const page = globalThis as unknown as {
        document: {
          addEventListener(type: string, listener: (event: Record<string, unknown>) => void): void;
        };
        __violations?: string[];
      };
      page.document.addEventListener('securitypolicyviolation', (event) => {
        (page.__violations ??= []).push(
          `${String(event.violatedDirective)} ${String(event.blockedURI)} at ${String(event.sourceFile)}:${String(event.lineNumber)}:${String(event.columnNumber)}`,
        );
      });
    });
    await page.goto(`${h.relay.url}/docs`);
    await page.getByText('Charge a form submission with the price the relay decides').first().waitFor({
      timeout: 60_000,
    });
    // Scalar renders each operation's summary as its heading; all of them, not just the first.
    const text = await page.locator('body').innerText();
    const missing = summaries.filter((summary) => !text.includes(summary));
    assert.deepEqual(missing, [], 'operations the page does not show');
    const violations = await page.evaluate(
      () => (globalThis as unknown as { __violations?: string[] }).__violations ?? [],
    );
    assert.deepEqual(violations, [], 'CSP violations reported by the page');
    assert.deepEqual(problems, [], 'CSP reports or errors on the console');
    assert.deepEqual(foreign, [], 'requests to anything but the relay');
    await context.close();
  });
});
