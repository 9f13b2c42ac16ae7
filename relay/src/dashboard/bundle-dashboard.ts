import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The dashboard's browser sources (Preact + htm), beside src/ so the relay's Node build skips them. */
const SOURCE_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));
/**
 * Where the relay's build (`npm run build -w relay`, scripts/build-dashboard.ts) writes the bundled
 * dashboard: beside this module once compiled, dist/dashboard/assets/. From source it is
 * src/dashboard/assets/, which nothing writes, so a checkout always bundles its current sources.
 */
export const PREBUILT_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

export interface DashboardAssets {
  script: string;
  style: string;
  /** `prebuilt` from the build's files, `esbuild` bundled at the first request. */
  origin: 'prebuilt' | 'esbuild';
}

let assets: Promise<DashboardAssets> | undefined;

/**
 * The dashboard's script and stylesheet, once per process. A published relay serves the files its
 * build wrote (its package has neither the sources nor esbuild); a checkout (`npm start`, `npm
 * test`), where nothing is built beforehand, bundles the sources with esbuild (about 100 ms). The
 * promise is forgotten on failure so the next request tries again.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  assets ??= loadDashboardAssets(PREBUILT_DIR).catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}

/** The prebuilt files in `prebuiltDir` when both are there, else a fresh esbuild bundle. */
export async function loadDashboardAssets(prebuiltDir: string): Promise<DashboardAssets> {
  const [script, style] = await Promise.all([
    readIfPresent(`${prebuiltDir}app.js`),
    readIfPresent(`${prebuiltDir}app.css`),
  ]);
  if (script !== undefined && style !== undefined) return { script, style, origin: 'prebuilt' };
  return { ...(await bundleDashboard()), origin: 'esbuild' };
}

/** Bundles the sources: what the build writes and what a checkout serves. */
export async function bundleDashboard(): Promise<{ script: string; style: string }> {
  // A build-time tool, loaded only when there is something to bundle.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [`${SOURCE_DIR}main.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text ?? '';
  const style = await readFile(`${SOURCE_DIR}dashboard.css`, 'utf8');
  return { script, style };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
