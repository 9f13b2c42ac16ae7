#!/usr/bin/env node
// Checks every public package as npm would publish it: packs it (after `npm run build`), then runs
// publint and Are the Types Wrong (attw) on the tarball, so a file left out of `files`, an export
// that points nowhere or types a consumer cannot resolve fail here, not on a user's machine.
// Exits 1 on any problem, suggestions included.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * attw's profile per package: the Node packages are ES modules only (Node 22 and later can
 * `require()` them), so their CommonJS resolution is not checked; the SDK ships both formats. The
 * CDN script and the relay (a command, no import entry) have no types for attw to resolve.
 */
const PACKAGES = [
  { dir: 'packages/protocol', profile: 'esm-only' },
  { dir: 'packages/sandbox', profile: 'esm-only' },
  { dir: 'packages/sdk', profile: 'strict' },
  { dir: 'packages/cdn', profile: 'esm-only' },
  { dir: 'relay', profile: 'esm-only' },
];

/** `npm pack` into `destination`; returns the tarball's path. */
function pack(dir, destination) {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: path.join(root, dir),
    encoding: 'utf8',
  });
  return path.join(destination, JSON.parse(output)[0].filename);
}

async function lintTarball(tarball, pkg) {
  const bytes = await readFile(tarball);
  const { messages } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  for (const message of messages)
    console.error(`  publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
  return messages.length;
}

/** attw exits non-zero on a problem; its table is printed only then. */
function checkTypes(tarball, profile) {
  const attw = path.join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  const result = spawnSync(process.execPath, [attw, tarball, '--profile', profile, '--format', 'ascii'], {
    encoding: 'utf8',
  });
  if (result.status === 0) return 0;
  const lines = (result.stdout + result.stderr).trim().split('\n');
  console.error(lines.map((line) => `  attw: ${line}`).join('\n'));
  return 1;
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * attw resolves a package's own types but not what they import. A declaration file that imports a
 * package the consumer never installs is TS2307 (or a silent `any`) on their machine: every bare
 * import in the tarball's .d.ts files must be a dependency or peer dependency, or a Node built-in.
 */
async function checkDeclarationImports(tarball, pkg) {
  const unpacked = `${tarball}.d`;
  await mkdir(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  let problems = 0;
  const files = await readdir(unpacked, { recursive: true });
  for (const file of files.filter((name) => /\.d\.[cm]?ts$/.test(name))) {
    const text = await readFile(path.join(unpacked, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"]([^'"./][^'"]*)['"]/g)) {
      const name = packageOf(specifier);
      if (declared.has(name) || name.startsWith('node:') || builtinModules.includes(name)) continue;
      console.error(`  ${file} imports ${specifier}, which ${pkg.name} does not depend on`);
      problems++;
    }
  }
  return problems;
}

const destination = await mkdtemp(path.join(tmpdir(), 'onepagepay-pack-'));
let problems = 0;
try {
  for (const { dir, profile } of PACKAGES) {
    const tarball = pack(dir, destination);
    console.log(`${dir}: ${path.basename(tarball)}`);
    const pkg = JSON.parse(await readFile(path.join(root, dir, 'package.json'), 'utf8'));
    const found =
      (await lintTarball(tarball, pkg)) +
      checkTypes(tarball, profile) +
      (await checkDeclarationImports(tarball, pkg));
    if (found === 0) console.log('  publint, attw and declaration imports: no problems');
    problems += found;
  }
} finally {
  await rm(destination, { recursive: true, force: true });
}
if (problems > 0) {
  console.error(`${problems} package problem(s)`);
  process.exitCode = 1;
}
