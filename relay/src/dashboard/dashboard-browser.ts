import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { GOOD_PASSWORD } from '../testing/merchant-fixtures.js';

/** axe-core's serious and critical findings on the page as it is now, as `id (impact, n nodes)`. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Through the DevTools protocol, which the page's CSP does not govern: the page itself stays strict.
  await page.evaluate(source);
  const result = (await page.evaluate('axe.run(document)')) as {
    violations: Array<{ id: string; impact: string; nodes: unknown[] }>;
  };
  return result.violations
    .filter((violation) => ['serious', 'critical'].includes(violation.impact))
    .map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length} nodes)`);
}

/**
 * A fresh browser context signed in through the dashboard's form; CSP reports and page errors go to
 * `problems`, and requests to any other host to `foreign` when given, so a test can assert none
 * happened.
 */
export async function signInInBrowser(
  browser: Browser,
  relayUrl: string,
  email: string,
  problems: string[],
  foreign?: string[],
): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  if (foreign) {
    page.on('request', (request) => {
      if (!request.url().startsWith(relayUrl) && !request.url().startsWith('data:'))
        foreign.push(request.url());
    });
  }
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${relayUrl}/dashboard`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Transactions' }).waitFor();
  return page;
}

/** Waits for the polite live region to say `text` (what a screen reader hears after an action). */
export async function heard(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
}
