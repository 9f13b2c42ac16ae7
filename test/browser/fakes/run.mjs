#!/usr/bin/env node
// Runs the fakes' browser tests with tsx and the source condition, so the config can start the
// TypeScript Stripe sandbox in-process. Extra arguments go to web-test-runner.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../node_modules/@web/test-runner/dist/bin.js', import.meta.url));
const result = spawnSync(
  process.execPath,
  [
    '--conditions=@onepagepay/source',
    '--import',
    'tsx',
    bin,
    '--config',
    'web-test-runner.fakes.config.mjs',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
