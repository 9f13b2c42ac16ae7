#!/usr/bin/env node
// Runs the built CLI when the package is built (as published), else the TypeScript source in a
// checkout where nothing is built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
let cli;
if (existsSync(fileURLToPath(built))) {
  cli = await import(built.href);
} else {
  const { registerSourceLoader } = await import('../../../scripts/register-source-loader.mjs');
  registerSourceLoader();
  cli = await import(new URL('../src/cli.ts', import.meta.url).href);
}
try {
  await cli.runCli(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
