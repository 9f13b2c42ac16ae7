import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { readInteger } from '../../relay/src/config.js';

/**
 * The Chromium every browser test, e2e test and bench drives: `CHROME_PATH`, else Debian's package.
 * Never a browser a tool downloads. A missing one fails with the fix, not with playwright's trace.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `No Chromium at ${path}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to a Chromium or Chrome binary.`,
    );
  return path;
}

/** Flags that work headless as root on a small CI machine (no sandbox, no GPU, no background fetches). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** web-test-runner's port: `WTR_PORT`, else its usual 8000 (`--port` on the command line wins). */
export function testRunnerPort(env: NodeJS.ProcessEnv = process.env): number {
  return readInteger(env, 'WTR_PORT', 8000, 1, 65535);
}
