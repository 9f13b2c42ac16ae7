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
export function typescriptForBundle(version, paypalIntegrity = '') {
  return {
    name: 'onepagepay-typescript',
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const result = await transform(code, {
        loader: 'ts',
        target: 'es2020',
        sourcefile: id,
        define: {
          __ONEPAGEPAY_VERSION__: JSON.stringify(version),
          __ONEPAGEPAY_PAYPAL_INTEGRITY__: JSON.stringify(paypalIntegrity),
        },
      });
      return { code: result.code, map: null };
    },
  };
}

const STUB_LOADERS =
  'export const loadStripe = () => Promise.resolve(null); export const loadScript = loadStripe;';
const STUB_PROVIDERS =
  'export const stripeProvider = () => null; export const paypalProvider = stripeProvider; export const besideCard = () => stripeProvider; export const withChallenge = (p) => p;';
const PROVIDER_MODULE = /\/providers\/(stripe-provider|paypal-provider|beside-card|with-challenge)\.js$/;

/**
 * `stubProviders` builds the SDK's own weight (the core budget): the provider modules and the
 * @stripe/stripe-js and @paypal/paypal-js loaders resolve to nothing. Otherwise the core script gets
 * the CDN's lazy stand-in for the PayPal provider (src/paypal-lazy.ts), and the PayPal half
 * (`half: 'paypal'`, src/paypal-half.ts) is its own file with the real provider and PayPal's loader.
 */
function providerVariants({ stubProviders, half }) {
  return {
    name: 'onepagepay-provider-variants',
    resolveId(id, importer) {
      const inSdk = importer?.includes('/packages/sdk/');
      if (stubProviders && (id === '@stripe/stripe-js/pure' || id === '@paypal/paypal-js'))
        return '\0stub-loaders';
      if (stubProviders && inSdk && PROVIDER_MODULE.test(id)) return '\0stub-providers';
      if (!stubProviders && !half && inSdk && id.endsWith('/paypal-provider.js'))
        return here('../src/paypal-lazy.ts');
      return null;
    },
    load(id) {
      if (id === '\0stub-loaders') return STUB_LOADERS;
      if (id === '\0stub-providers') return STUB_PROVIDERS;
      return null;
    },
  };
}

const INTERNAL_PROPERTIES =
  /^(readContact|writePayment|missingFields|onSubmitted|payButton|setBusy|reportFormSubmitted|formConfig|createPayment|confirmPayment|anchor|place|root|slot|show|start|block|unreachable|named|summary|payLabel|validateFields|onLastStep)$/;

// The bang comments terser keeps: ours (the banner) and third-party license notices.
const KEPT_COMMENT = /\/\*![\s\S]*?\*\//g;

/**
 * Builds one IIFE of the CDN entry; writes nothing. Third-party license comments are not inlined:
 * they come back as `notices` for a `<file>.LICENSE.txt` beside the bundle (as webpack's default
 * build does), and the banner points at that file. Inlined, PayPal's Apache-2.0 header alone
 * weighed 354 B gzip, more than the bundle's headroom.
 *
 * The shipped core carries the sha384 of its PayPal half (a page that pins the core with SRI gets
 * the half pinned too), so the half is built first: `paypalIntegrity` when the caller has it,
 * otherwise the half is built here to hash it.
 */
export async function bundleWithNotices({
  stubProviders = false,
  half = null,
  version = pkg.version,
  paypalIntegrity,
} = {}) {
  if (!stubProviders && !half && paypalIntegrity === undefined)
    paypalIntegrity = integrityOf((await bundleWithNotices({ version, half: 'paypal' })).code);
  const bundle = await rollup({
    input: here(half === 'paypal' ? '../src/paypal-half.ts' : '../src/index.ts'),
    plugins: [
      providerVariants({ stubProviders, half }),
      nodeResolve({
        browser: true,
        exportConditions: ['@onepagepay/source', 'browser', 'import', 'default'],
        extensions: ['.ts', '.mjs', '.js'],
      }),
      typescriptForBundle(version, paypalIntegrity),
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

/** The SRI value of `code` as served (UTF-8): `sha384-<base64>`. */
export const integrityOf = (code) => `sha384-${createHash('sha384').update(code).digest('base64')}`;

export function describe(name, code) {
  const bytes = Buffer.from(code);
  return {
    file: name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    integrity: integrityOf(bytes),
  };
}

/**
 * Writes onepagepay-<version>.min.js, onepagepay.min.js, the PayPal half
 * onepagepay-paypal-<version>.min.js (fetched by the core only for forms that take PayPal) and
 * manifest.json into `outDir`, and onepagepay-<version>.LICENSE.txt for the third-party notices.
 */
export async function buildCdn({ outDir = here('../dist'), version = pkg.version } = {}) {
  // The half first: its hash goes into the core.
  const paypal = await bundleWithNotices({ version, half: 'paypal' });
  const core = await bundleWithNotices({ version, paypalIntegrity: integrityOf(paypal.code) });
  await mkdir(outDir, { recursive: true });
  const names = [`onepagepay-${version}.min.js`, 'onepagepay.min.js'];
  for (const name of names) await writeFile(`${outDir}/${name}`, core.code);
  const halfName = paypalHalfName(version);
  await writeFile(`${outDir}/${halfName}`, paypal.code);
  const manifest = {
    version,
    files: names.map((name) => describe(name, core.code)),
    lazy: [describe(halfName, paypal.code)],
  };
  const notices = [...new Set([...core.notices, ...paypal.notices])];
  if (notices.length > 0) {
    manifest.licenses = licenseFileName(version);
    await writeFile(`${outDir}/${manifest.licenses}`, notices.join('\n\n') + '\n');
  }
  await writeFile(`${outDir}/manifest.json`, JSON.stringify(manifest, null, 2) + '\n');
  return { outDir, manifest };
}

export const paypalHalfName = (version) => `onepagepay-paypal-${version}.min.js`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outDir, manifest } = await buildCdn();
  for (const file of [...manifest.files, ...manifest.lazy])
    console.log(`${outDir}/${file.file}  ${file.bytes} B, ${file.gzipBytes} B gzip, ${file.integrity}`);
  console.log(`built in ${Math.round(performance.now() - started)} ms`);
}
