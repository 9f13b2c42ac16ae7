import { fileURLToPath } from 'node:url';

/** The browser fakes shipped in the package's `browser/` folder. */
export type BrowserFakeName = 'stripe.js' | 'hubspot-v2.js' | 'hubspot-v4.js' | 'paypal.js';

const BROWSER_FAKES: readonly BrowserFakeName[] = [
  'stripe.js',
  'hubspot-v2.js',
  'hubspot-v4.js',
  'paypal.js',
];

/**
 * Returns the absolute path of a browser fake (a plain script that installs its globals), for
 * servers that serve it, such as the Stripe sandbox's `GET /js/<file>`.
 */
export function browserFakePath(name: BrowserFakeName): string {
  if (!BROWSER_FAKES.includes(name)) {
    throw new TypeError(
      `Unknown browser fake "${String(name)}": expected one of ${BROWSER_FAKES.join(', ')}.`,
    );
  }
  // src/browser/ and dist/browser/ both sit two levels below the package root.
  return fileURLToPath(new URL(`../../browser/${name}`, import.meta.url));
}

/** Lists the names of all browser fakes. */
export function listBrowserFakes(): readonly BrowserFakeName[] {
  return BROWSER_FAKES;
}
