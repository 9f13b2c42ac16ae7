#!/usr/bin/env node
/* global performance */
// Builds the CDN script with rollup: an IIFE of the SDK setting one global (OnePagePay), minified,
// with a version banner, under a versioned and a latest file name, plus a manifest of SRI hashes.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';
import { rollup } from 'rollup';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const pkg = JSON.parse(await readFile(here('../package.json'), 'utf8'));

/**
 * Strips TypeScript for bundling only (tsc -b does the type check and the .d.ts). esbuild's
 * transform keeps the build well under a second, so tests can build before they measure.
 */
export function typescriptForBundle(version) {
  return {
    name: 'onepagepay-typescript',
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const result = await transform(code, {
        loader: 'ts',
        target: 'es2020',
        sourcefile: id,
        define: { __ONEPAGEPAY_VERSION__: JSON.stringify(version) },
      });
      return { code: result.code, map: null };
    },
  };
}

/** Resolves the provider loaders to nothing, to measure the SDK's own weight. */
function stubLoaders() {
  const stubbed = new Set(['@stripe/stripe-js/pure', '@paypal/paypal-js']);
  return {
    name: 'onepagepay-stub-loaders',
    resolveId: (id) => (stubbed.has(id) ? `\0stub:${id}` : null),
    load: (id) =>
      id.startsWith('\0stub:')
        ? 'export const loadStripe = () => Promise.resolve(null); export const loadScript = loadStripe;'
        : null,
  };
}

/**
 * Builds one IIFE. `entry` defaults to the CDN entry; `stub` leaves out the provider loaders.
 * Returns the code; writes nothing.
 */
export async function bundleIife({
  entry = here('../src/index.ts'),
  stub = false,
  version = pkg.version,
} = {}) {
  const bundle = await rollup({
    input: entry,
    plugins: [
      ...(stub ? [stubLoaders()] : []),
      nodeResolve({
        browser: true,
        exportConditions: ['@onepagepay/source', 'browser', 'import', 'default'],
        extensions: ['.ts', '.mjs', '.js'],
      }),
      typescriptForBundle(version),
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  const { output } = await bundle.generate({
    format: 'iife',
    name: 'OnePagePayBundle',
    banner: `/*! OnePagePay ${version} | MIT | https://github.com/onepagepay */`,
    plugins: [terser({ format: { comments: /^!/ } })],
  });
  await bundle.close();
  return output[0].code;
}

export function describe(name, code) {
  const bytes = Buffer.from(code);
  return {
    file: name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

/** Writes onepagepay-<version>.min.js, onepagepay.min.js and manifest.json into `outDir`. */
export async function buildCdn({ outDir = here('../dist'), version = pkg.version } = {}) {
  const code = await bundleIife({ version });
  await mkdir(outDir, { recursive: true });
  const names = [`onepagepay-${version}.min.js`, 'onepagepay.min.js'];
  for (const name of names) await writeFile(`${outDir}/${name}`, code);
  const manifest = { version, files: names.map((name) => describe(name, code)) };
  await writeFile(`${outDir}/manifest.json`, JSON.stringify(manifest, null, 2) + '\n');
  return { outDir, manifest };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outDir, manifest } = await buildCdn();
  for (const file of manifest.files)
    console.log(`${outDir}/${file.file}  ${file.bytes} B, ${file.gzipBytes} B gzip, ${file.integrity}`);
  console.log(`built in ${Math.round(performance.now() - started)} ms`);
}
