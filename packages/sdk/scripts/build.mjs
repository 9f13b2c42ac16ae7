#!/usr/bin/env node
// Builds @onepagepay/sdk with rollup: ESM (dist/index.js) and CJS (dist/index.cjs) of the pure
// entry, @stripe/stripe-js and @paypal/paypal-js kept external; `tsc -b` writes the .d.ts files beside them.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { transform } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const pkg = JSON.parse(await readFile(here('../package.json'), 'utf8'));

function typescriptForBundle(version) {
  return {
    name: 'onepagepay-typescript',
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = await transform(code, {
        loader: 'ts',
        target: 'es2020',
        sourcefile: id,
        define: { __ONEPAGEPAY_VERSION__: JSON.stringify(version) },
      });
      return { code: out.code, map: null };
    },
  };
}

/** Writes dist/index.js and dist/index.cjs (and dist/index.d.cts if tsc already wrote index.d.ts). */
export async function buildSdk({ outDir = here('../dist'), version = pkg.version } = {}) {
  const bundle = await rollup({
    input: here('../src/index.ts'),
    external: (id) => id.startsWith('@stripe/stripe-js') || id === '@paypal/paypal-js',
    plugins: [
      {
        name: 'resolve-ts',
        resolveId: (id, importer) =>
          importer && id.startsWith('.')
            ? fileURLToPath(new URL(id.replace(/\.js$/, '.ts'), `file://${importer}`))
            : null,
      },
      typescriptForBundle(version),
    ],
  });
  await mkdir(outDir, { recursive: true });
  // Node has no directory imports in ESM, and @stripe/stripe-js has no exports map: name the files.
  await bundle.write({
    file: `${outDir}/index.js`,
    format: 'es',
    paths: { '@stripe/stripe-js/pure': '@stripe/stripe-js/pure/index.mjs' },
  });
  await bundle.write({
    file: `${outDir}/index.cjs`,
    format: 'cjs',
    paths: { '@stripe/stripe-js/pure': '@stripe/stripe-js/pure/index.js' },
  });
  await bundle.close();
  await copyFile(`${outDir}/index.d.ts`, `${outDir}/index.d.cts`).catch(() =>
    writeFile(`${outDir}/index.d.cts`, "export * from './index.js';\n"),
  );
  return { outDir };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outDir } = await buildSdk();
  console.log(`built ${outDir}/index.js and index.cjs`);
}
