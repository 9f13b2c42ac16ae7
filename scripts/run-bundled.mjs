// Runs a TypeScript entry of this checkout (`npm start`) from a cached esbuild bundle: the first run
// bundles the entry and the workspace sources it imports into node_modules/.cache/onepagepay/, later
// runs import that one file, with no TypeScript loader hooks in the process. node_modules stay
// external. The cache is keyed by a hash of every input file, so an edited source rebuilds it.
//
//   node --conditions=@onepagepay/source scripts/run-bundled.mjs relay/src/dev/start-demo.ts
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// ONEPAGEPAY_BUNDLE_CACHE moves it (tests, and the start benchmark's cold runs), though only within
// node_modules/.cache: the bundle imports third-party packages by name, resolved from where it is.
const CACHE_DIR = path.resolve(
  process.env.ONEPAGEPAY_BUNDLE_CACHE ?? path.join(ROOT, 'node_modules/.cache/onepagepay'),
);
if (!CACHE_DIR.startsWith(path.join(ROOT, 'node_modules/.cache') + path.sep)) {
  throw new Error(
    `ONEPAGEPAY_BUNDLE_CACHE must be a folder under ${path.join(ROOT, 'node_modules/.cache')}, where the bundle can import the packages it leaves out; got ${CACHE_DIR}.`,
  );
}
// Read by esbuild beside the sources, so they decide the output too.
const SETTINGS = ['package.json', 'tsconfig.json', 'tsconfig.base.json'];
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Hashes every input the manifest lists; true when they all still match. */
async function isFresh(manifest) {
  if (manifest?.key !== cacheKey()) return false;
  const current = await hashFiles(Object.keys(manifest.inputs));
  return Object.entries(manifest.inputs).every(([file, hash]) => current[file] === hash);
}

async function hashFiles(files) {
  const hashes = await Promise.all(
    files.map((file) => readFile(path.join(ROOT, file)).then(sha256, () => null)),
  );
  return Object.fromEntries(files.map((file, index) => [file, hashes[index]]));
}

/** Whatever besides the inputs changes the bundle: this script and Node's version (the target). */
function cacheKey() {
  return `${SCRIPT_HASH}:${process.versions.node}`;
}
const SCRIPT_HASH = sha256(await readFile(fileURLToPath(import.meta.url)));

/**
 * A bundled module no longer sits where its source did, so each source's own `import.meta.url`,
 * `import.meta.dirname` and `import.meta.filename` are written into it as literals: paths relative
 * to a source (migrations, sandbox assets, the demo page, the CDN build script) keep pointing where
 * they did.
 */
const keepImportMeta = (hashes) => ({
  name: 'keep-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const bytes = await readFile(args.path);
      // Hashed as read, so an edit made while bundling is seen as a change by the next start.
      hashes[path.relative(ROOT, args.path)] = sha256(bytes);
      const source = bytes.toString('utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: path.extname(args.path).slice(1).replace(/^[cm]/, '') };
    });
  },
});

/**
 * Bundled with ours: PayPal's SDK and its @apimatic parts are ~800 small modules that took ~0.8 s
 * of CPU to load one by one at each start (docs/benchmarks.md, "Start-up"); in the bundle they are
 * one file. Nothing outside the bundle imports them, so there is still one copy of each class.
 */
const INLINED = /^(@onepagepay|@paypal\/paypal-server-sdk|@apimatic)(\/|$)/;

/** Other third-party packages stay imports, resolved from the root node_modules at run time. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      INLINED.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

async function bundle(entry, outDir) {
  // A build tool, loaded only when the bundle is (re)built.
  const esbuild = await import('esbuild');
  const hashes = {};
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    conditions: ['@onepagepay/source'],
    plugins: [keepImportMeta(hashes), externalPackages],
    // Modules the sources import dynamically (Sentry's reporter, with its SDK) stay separate files,
    // loaded only when imported, as from source.
    splitting: true,
    outdir: outDir,
    entryNames: 'entry',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    // For the CommonJS parts inlined above, whose require() calls of other packages stay.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    write: false,
    metafile: true,
    // Beside the bundle, read only when Node's source maps are on (NODE_OPTIONS=--enable-source-maps):
    // then stack traces name the TypeScript sources.
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  const sources = Object.keys(result.metafile.inputs);
  const settings = [...new Set(sources.map(packageDir))].flatMap((dir) =>
    SETTINGS.map((name) => path.join(dir, name)),
  );
  // The lock file pins esbuild and every package the bundle leaves external.
  const others = await hashFiles([...settings, 'package-lock.json']);
  return { files: result.outputFiles, inputs: { ...others, ...hashes } };
}

/** The folder of the package.json that owns `file` (relative to the root). */
function packageDir(file) {
  const match = /^(packages\/[^/]+|relay|examples\/[^/]+)\//.exec(file);
  return match ? match[1] : '.';
}

/** Writes beside, then renames: two starts at once never import a half-written bundle. */
async function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** The bundle of `entry` (relative to the root), built when missing or stale; returns its path. */
export async function bundledEntry(entry) {
  const outDir = path.join(CACHE_DIR, entry.replace(/\.[cm]?ts$/, '').replaceAll(/[^\w.]+/g, '-'));
  const entryFile = path.join(outDir, 'entry.mjs');
  const manifestFile = path.join(outDir, 'inputs.json');
  const manifest = await readFile(manifestFile, 'utf8').then(JSON.parse, () => undefined);
  if (await isFresh(manifest)) return entryFile;
  const { files, inputs } = await bundle(entry, outDir);
  await mkdir(outDir, { recursive: true });
  // Chunks (named by their content) first, the entry that imports them last, the manifest after.
  const ordered = [
    ...files.filter((file) => file.path !== entryFile),
    ...files.filter((file) => file.path === entryFile),
  ];
  for (const file of ordered) await writeAtomically(file.path, file.contents);
  await writeAtomically(manifestFile, JSON.stringify({ key: cacheKey(), inputs }, null, 2));
  return entryFile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entry = process.argv[2];
  if (!entry) throw new Error('usage: node scripts/run-bundled.mjs <entry.ts> [args…]');
  const bundled = await bundledEntry(entry);
  // As under tsx: the entry is argv[1].
  process.argv.splice(1, 2, path.resolve(ROOT, entry));
  // Source maps stay off unless asked for: with them on, the first stack trace read (stripe reads
  // one on every call, the start's readiness probe included) decodes the whole bundle's map, and
  // a warm start took ~0.17 s longer (docs/benchmarks.md, "Start-up"). Off, a frame names the
  // bundle's line, whose function keeps its name and sits under a `// relay/src/...` comment.
  await import(pathToFileURL(bundled).href);
}
