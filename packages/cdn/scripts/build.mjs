#!/usr/bin/env node
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

const STUB_LOADERS =
  'export const loadStripe = () => Promise.resolve(null); export const loadScript = loadStripe;';
const STUB_PROVIDER = 'export const stripeProvider = () => null;';
const BOTH_LOADERS =
  "import './index.ts'; import { loadScript } from '@paypal/paypal-js'; window.__paypalLoader = loadScript;";

/**
 * `stubProviders` builds the SDK's own weight: the provider loaders (Stripe's provider module and
 * the @stripe/stripe-js and @paypal/paypal-js loaders) resolve to nothing. `withPayPal` adds
 * PayPal's loader beside Stripe's, the size the bundle will have once PayPal ships.
 */
function budgetVariants({ stubProviders, withPayPal }) {
  return {
    name: 'onepagepay-budget-variants',
    resolveId(id, importer) {
      if (id === '\0both-loaders') return id;
      if (!stubProviders) return null;
      if (id === '@stripe/stripe-js/pure' || id === '@paypal/paypal-js') return '\0stub-loaders';
      if (id.endsWith('/stripe-provider.js') && importer?.includes('/packages/sdk/'))
        return '\0stub-provider';
      return null;
    },
    load(id) {
      if (id === '\0stub-loaders') return STUB_LOADERS;
      if (id === '\0stub-provider') return STUB_PROVIDER;
      if (id === '\0both-loaders') return BOTH_LOADERS.replace('./index.ts', here('../src/index.ts'));
      return null;
    },
    options(input) {
      return withPayPal ? { ...input, input: '\0both-loaders' } : null;
    },
  };
}

const INTERNAL_PROPERTIES =
  /^(readContact|writePayment|missingFields|onSubmitted|payButton|setBusy|reportFormSubmitted|formConfig|createPayment|confirmPayment|anchor|place|root|slot|show|start|block|unreachable|named|summary|payLabel|validateFields|onLastStep|pay)$/;

// The bang comments terser keeps: ours (the banner) and third-party license notices.
const KEPT_COMMENT = /\/\*![\s\S]*?\*\//g;

/**
 * Builds one IIFE of the CDN entry; writes nothing. Third-party license comments are not inlined:
 * they come back as `notices` for a `<file>.LICENSE.txt` beside the bundle (as webpack's default
 * build does), and the banner points at that file. Inlined, PayPal's Apache-2.0 header alone
 * weighed 354 B gzip, more than the bundle's headroom.
 */
export async function bundleWithNotices({
  stubProviders = false,
  withPayPal = false,
  version = pkg.version,
} = {}) {
  const bundle = await rollup({
    input: here('../src/index.ts'),
    plugins: [
      budgetVariants({ stubProviders, withPayPal }),
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
  const banner = `/*! OnePagePay ${version} | MIT */`;
  const { output } = await bundle.generate({
    format: 'iife',
    banner,
    plugins: [
      terser({
        ecma: 2020,
        // unsafe_arrows/unsafe_methods only turn functions that never use `this` or `new` into arrows and
        // methods: about 30 B gzip.
        compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true },
        // Internal method names (form hosts, the step view, the relay client) are not reachable from
        // the OnePagePay global, so they are shortened too; public and third-party names are not.
        mangle: { properties: { regex: INTERNAL_PROPERTIES } },
        format: { comments: /^!/ },
      }),
    ],
  });
  await bundle.close();
  const notices = [];
  let code = output[0].code.replace(KEPT_COMMENT, (comment) => {
    if (comment === banner) return comment;
    if (!notices.includes(comment)) notices.push(comment);
    return '';
  });
  if (notices.length > 0) {
    code = code.replace(
      banner,
      `/*! OnePagePay ${version} | MIT | third-party licenses: ${licenseFileName(version)} */`,
    );
  }
  return { code, notices };
}

/** Builds one IIFE of the CDN entry and returns its code; writes nothing. */
export async function bundleIife(options = {}) {
  return (await bundleWithNotices(options)).code;
}

export const licenseFileName = (version) => `onepagepay-${version}.LICENSE.txt`;

export function describe(name, code) {
  const bytes = Buffer.from(code);
  return {
    file: name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

/**
 * Writes onepagepay-<version>.min.js, onepagepay.min.js and manifest.json into `outDir`, and
 * onepagepay-<version>.LICENSE.txt when the bundle carries third-party code with a license notice.
 * `withPayPal` builds the bundle PayPal will ship in (see budgetVariants).
 */
export async function buildCdn({ outDir = here('../dist'), version = pkg.version, withPayPal = false } = {}) {
  const { code, notices } = await bundleWithNotices({ version, withPayPal });
  await mkdir(outDir, { recursive: true });
  const names = [`onepagepay-${version}.min.js`, 'onepagepay.min.js'];
  for (const name of names) await writeFile(`${outDir}/${name}`, code);
  const manifest = { version, files: names.map((name) => describe(name, code)) };
  if (notices.length > 0) {
    manifest.licenses = licenseFileName(version);
    await writeFile(`${outDir}/${manifest.licenses}`, notices.join('\n\n') + '\n');
  }
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
