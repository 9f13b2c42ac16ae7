import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The CDN script built from a checkout's sources, as `npm run build:cdn` would write it. */
export interface CdnSourceBuild {
  version: string;
  core: string;
  paypal: string;
  /** The core's SRI hash: what manifest.json would list for onepagepay-<version>.min.js. */
  integrity: string;
}

interface CdnBuildScript {
  bundleIife(options?: { half?: 'paypal'; paypalIntegrity?: string }): Promise<string>;
  integrityOf(code: string): string;
}

let built: Promise<CdnSourceBuild> | undefined;

/**
 * Bundles the CDN script and its PayPal half from packages/cdn's sources with rollup's JS API (about
 * a second each), once per process: the demo page serves these bytes and the dashboard's snippet
 * pins their hash, so under `npm start` both come from one build and always agree. The half is
 * built first because the core carries its hash (as `buildCdn` does). Forgotten on failure.
 */
export function buildCdnFromSources(packageDir: string): Promise<CdnSourceBuild> {
  built ??= build(packageDir).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function build(packageDir: string): Promise<CdnSourceBuild> {
  const root = pathToFileURL(`${packageDir}/`);
  // A plain-JavaScript build script outside this project: imported by URL, untyped.
  const script = (await import(new URL('scripts/build.mjs', root).href)) as CdnBuildScript;
  const { version } = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
    version: string;
  };
  const paypal = await script.bundleIife({ half: 'paypal' });
  const core = await script.bundleIife({ paypalIntegrity: script.integrityOf(paypal) });
  return { version, core, paypal, integrity: script.integrityOf(core) };
}
