import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { runCliCaptured } from '../../testing/run-cli.js';
import { startRelay, type RunningRelay } from '../../server.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import type { Database } from '../../db/open-database.js';
import { logInMerchant, sendJson } from '../../testing/merchant-fixtures.js';
import { createTestDatabase } from '../../testing/test-database.js';

describe('onepagepay-relay user and api-key commands', function () {
  this.timeout(60_000);
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let postgres: Database | undefined;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-merchant-cli-'));
    env = { ONEPAGEPAY_DATA_DIR: dataDir };
    // With TEST_DATABASE_URL the commands run against a fresh PostgreSQL database instead of PGlite.
    if (process.env.TEST_DATABASE_URL) {
      postgres = await createTestDatabase();
      env.DATABASE_URL = postgres.connectionString;
    }
  });
  after(async () => {
    await postgres?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) => runCliCaptured(env, argv);

  it('invites a user who can sign in, and creates, lists and revokes keys that work against the API', async () => {
    const tenantId = (await run('tenant', 'create', '--name', 'Acme', '--origin', 'https://www.acme.example'))
      .out[0]!;
    const invited = await run('user', 'invite', '--tenant', tenantId, '--email', 'Clerk@Acme.example');
    assert.equal(invited.code, 0, invited.err.join());
    const password = /one-time password[^:]*: (\S+)$/.exec(invited.out[1] ?? '')?.[1];
    assert.ok(password, invited.out.join('\n'));
    const duplicate = await run('user', 'invite', '--tenant', tenantId, '--email', 'clerk@acme.example');
    assert.equal(duplicate.code, 1);

    const created = await run('api-key', 'create', '--tenant', tenantId, '--scopes', 'transactions:read');
    assert.equal(created.code, 0, created.err.join());
    const secret = created.out[0]!;
    assert.match(secret, /^opp_test_[A-Za-z0-9_-]{43}$/);
    const keyId = /^id (\S+)/.exec(created.out[1]!)![1]!;
    const listed = await run('api-key', 'list', '--tenant', tenantId);
    assert.ok(listed.out.some((line) => line.startsWith(keyId) && line.includes('active')));
    assert.ok(!listed.out.join('\n').includes(secret), 'list never shows secrets');
    assert.equal((await run('api-key', 'create', '--tenant', tenantId, '--scopes', 'admin')).code, 1);

    let stripe: StripeSandbox | undefined;
    let relay: RunningRelay | undefined;
    try {
      stripe = await startStripeSandbox();
      const config = loadConfig({ ...env, PORT: '0', STRIPE_API_BASE: stripe.url, LOG_LEVEL: 'silent' });
      relay = await startRelay({ config, logger: createLogger({ level: 'silent' }) });
      const login = await logInMerchant(relay.url, { email: 'clerk@acme.example', password });
      assert.equal(login.response.status, 200, JSON.stringify(login.response.body));
      const auth = { authorization: `Bearer ${secret}` };
      assert.equal((await sendJson(relay.url, 'GET', '/v1/transactions', { headers: auth })).status, 200);
    } finally {
      await relay?.close();
      await stripe?.close();
    }
    // The API refusing revoked keys is tested in the merchant account suite.
    const revoked = await run('api-key', 'revoke', '--tenant', tenantId, '--id', keyId);
    assert.equal(revoked.code, 0, revoked.err.join());
    const after = await run('api-key', 'list', '--tenant', tenantId);
    assert.ok(after.out.some((line) => line.startsWith(keyId) && line.includes('revoked')));
  });
});
