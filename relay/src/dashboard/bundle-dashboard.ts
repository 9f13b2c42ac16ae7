import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The dashboard's browser sources (Preact + htm), beside src/ so the relay's Node build skips them. */
const SOURCE_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

export interface DashboardAssets {
  script: string;
  style: string;
}

let assets: Promise<DashboardAssets> | undefined;

/**
 * Bundles the dashboard with esbuild (about 100 ms), once per process: the relay runs from source in
 * a checkout (`npm start`, `npm test`), where nothing is built beforehand. The promise is forgotten
 * on failure so the next request tries again.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  assets ??= bundle().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}

async function bundle(): Promise<DashboardAssets> {
  // A build-time tool, loaded only when the dashboard is first asked for.
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
