import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCliCaptured } from '../testing/run-cli.js';

describe('onepagepay-relay CLI', function () {
  this.timeout(60_000);
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-cli-'));
    env = {
      ONEPAGEPAY_DATA_DIR: dataDir,
      ...(process.env.TEST_CLI_DATABASE_URL ? { DATABASE_URL: process.env.TEST_CLI_DATABASE_URL } : {}),
    };
  });
  after(() => fs.rm(dataDir, { recursive: true, force: true }));

  const run = (...argv: string[]) => runCliCaptured(env, argv);

  it('migrates, creates a tenant (printing its UUID) and a form, and lists forms', async () => {
    const migrated = await run('migrate');
    assert.equal(migrated.code, 0);
    assert.match(migrated.out.join(), /001-core-schema|current/);
    const tenant = await run(
      'tenant',
      'create',
      '--name',
      'Acme',
      '--origin',
      'https://www.acme.example',
      'http://localhost:8080',
    );
    assert.equal(tenant.code, 0, tenant.err.join());
    const tenantId = tenant.out[0] ?? '';
    assert.match(
      tenantId,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      'a v4 UUID',
    );
    const form = await run(
      'form',
      'create',
      '--tenant',
      tenantId,
      '--hubspot-form',
      'f0f0f0f0-1111-2222-3333-444455556666',
      '--product',
      'Ticket',
      '--currency',
      'jpy',
      '--amount',
      '500',
    );
    assert.equal(form.code, 0, form.err.join());
    const moved = await run('tenant', 'set-stripe-account', tenantId, 'acct_1Connected');
    assert.equal(moved.code, 0, moved.err.join());
    assert.match(moved.out.join(), /platform → acct_1Connected/);
    const tenants = await run('tenant', 'list', '--json');
    const row = (JSON.parse(tenants.out.join('')) as Array<{ id: string; stripeAccountId: string }>).find(
      (candidate) => candidate.id === tenantId,
    );
    assert.equal(row?.stripeAccountId, 'acct_1Connected');
    assert.equal((await run('tenant', 'set-stripe-account', tenantId, 'none')).code, 0);
    const unknown = await run('tenant', 'set-stripe-account', crypto.randomUUID(), 'acct_1Connected');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.err.join(), /No tenant/);
    const listed = await run('form', 'list', '--tenant', tenantId);
    assert.match(
      listed.out.join('\n'),
      /f0f0f0f0-1111-2222-3333-444455556666 {2}test {2}Ticket {2}500 JPY {2}stripe/,
    );
  });

  it('explains bad input in one line and exits non-zero', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['tenant', 'create', '--name', 'X', '--origin', 'ftp://x'], /must be an http\(s\) origin/],
      [['tenant', 'create', '--name', 'X', '--origin', 'http://shop.example'], /must use https/],
      [
        [
          'form',
          'create',
          '--tenant',
          '00000000-0000-4000-8000-000000000000',
          '--hubspot-form',
          'g',
          '--product',
          'p',
          '--currency',
          'USD',
          '--amount',
          '10',
        ],
        /No tenant/,
      ],
      [
        [
          'form',
          'create',
          '--tenant',
          '00000000-0000-4000-8000-000000000000',
          '--hubspot-form',
          'g',
          '--product',
          'p',
          '--currency',
          'USD',
          '--amount',
          '19.99',
        ],
        /whole number in minor units/,
      ],
      [['tenant', 'create', '--origin', 'https://a.example'], /required option '--name/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      assert.notEqual(result.code, 0, argv.join(' '));
      assert.match(result.err.join('\n'), message, argv.join(' '));
      assert.doesNotMatch(result.err.join('\n'), /\n\s+at /, 'no stack trace');
    }
  });
});
