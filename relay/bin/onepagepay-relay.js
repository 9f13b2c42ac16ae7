#!/usr/bin/env node
// Runs the compiled CLI when the package is built (as published), and the TypeScript source in a
// checkout where nothing is built, so `npx onepagepay-relay` works both ways.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let runCli;
if (existsSync(fileURLToPath(compiled))) {
  ({ runCli } = await import(compiled.href));
} else {
  const { registerSourceLoader } = await import('../../scripts/register-source-loader.mjs');
  registerSourceLoader();
  ({ runCli } = await import(new URL('../src/cli/main.ts', import.meta.url).href));
}
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
