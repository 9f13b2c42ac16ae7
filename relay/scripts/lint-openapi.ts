// `npm run lint:openapi`: writes the OpenAPI document a running relay serves to a temporary file
// and lints it with Redocly (its recommended rules, zero errors allowed), so what is checked is what
// clients download, not a copy assembled apart from the app.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay } from '../src/testing/test-relay.js';

const stripe = await startStripeSandbox();
const relay = await startTestRelay(stripe, { env: { LOG_LEVEL: 'silent' } });
const directory = await mkdtemp(path.join(os.tmpdir(), 'onepagepay-openapi-'));
try {
  const document = await (await fetch(`${relay.url}/v1/openapi.json`)).text();
  const file = path.join(directory, 'openapi.json');
  await writeFile(file, document);
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const lint = spawnSync(
    path.join(root, 'node_modules/.bin/redocly'),
    ['lint', '--format', process.env.REDOCLY_FORMAT ?? 'codeframe', file],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = lint.status ?? 1;
} finally {
  await relay.close();
  await stripe.close();
  await rm(directory, { recursive: true, force: true });
}
// The relay's timers (rate-limit sweeps, pools) would keep a finished lint alive.
process.exit();
