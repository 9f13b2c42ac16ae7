import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { CdnScript } from '@onepagepay/protocol';
import { buildCdnFromSources } from './cdn-from-sources.js';

/** Where the snippet loads the script from: jsDelivr serves every npm release of @onepagepay/cdn. */
export const CDN_BASE = 'https://cdn.jsdelivr.net/npm/@onepagepay/cdn';

/** The part of packages/cdn/dist/manifest.json the snippet needs (see packages/cdn/scripts/build.mjs). */
interface CdnManifest {
  version: string;
  files: Array<{ file: string; integrity: string }>;
}

let loaded: Promise<CdnScript> | undefined;

/**
 * The versioned CDN file and its SRI hash, read once per process from @onepagepay/cdn.
 *
 * An installed relay reads the manifest the CDN package was published with. A checkout has the
 * package's sources and build script: there it builds the script in memory (about a second, as the
 * demo page does), so the hash is that of the bytes `npm run build:cdn` writes from the current
 * sources, never of a stale dist/ left by an earlier build. The promise is forgotten on failure.
 */
export function cdnScript(): Promise<CdnScript> {
  loaded ??= readCdnScript().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function readCdnScript(): Promise<CdnScript> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@onepagepay/cdn/package.json'));
  const manifest = (await exists(`${packageDir}/scripts/build.mjs`))
    ? await buildManifest(packageDir)
    : (JSON.parse(await readFile(`${packageDir}/dist/manifest.json`, 'utf8')) as CdnManifest);
  const versioned = `onepagepay-${manifest.version}.min.js`;
  const file = manifest.files.find((candidate) => candidate.file === versioned);
  if (!file) {
    throw new Error(`@onepagepay/cdn's manifest.json lists no ${versioned}: rebuild the package.`);
  }
  return {
    version: manifest.version,
    url: `${CDN_BASE}@${manifest.version}/dist/${versioned}`,
    integrity: file.integrity,
  };
}

/** What buildCdn would write into manifest.json for the versioned core file, without writing it. */
async function buildManifest(packageDir: string): Promise<CdnManifest> {
  const { version, integrity } = await buildCdnFromSources(packageDir);
  return { version, files: [{ file: `onepagepay-${version}.min.js`, integrity }] };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
