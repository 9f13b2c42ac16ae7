// The relay's build step for its dashboard (`npm run build -w relay`, after `tsc -b`): bundles
// relay/dashboard/ with esbuild into dist/dashboard/assets/, which the published relay serves as is.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleDashboard } from '../src/dashboard/bundle-dashboard.js';

/** Writes app.js and app.css into `outDir` (default: relay/dist/dashboard/assets/). */
export async function buildDashboard(
  outDir = fileURLToPath(new URL('../dist/dashboard/assets/', import.meta.url)),
): Promise<{ outDir: string; scriptBytes: number; scriptGzipBytes: number }> {
  const { script, style } = await bundleDashboard();
  await mkdir(outDir, { recursive: true });
  await writeFile(`${outDir}/app.js`, script);
  await writeFile(`${outDir}/app.css`, style);
  return {
    outDir,
    scriptBytes: Buffer.byteLength(script),
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildDashboard();
  console.log(`${built.outDir}app.js  ${built.scriptBytes} B, ${built.scriptGzipBytes} B gzip; app.css`);
}
