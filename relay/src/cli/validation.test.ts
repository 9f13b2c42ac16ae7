import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/open-database.js';
import { createTestDatabase } from '../testing/test-database.js';
import { runCliCaptured } from '../testing/run-cli.js';

const TENANT = '7c0e8a4f-2b1d-4e6a-9c3b-5d2f1a0e9b8c';
const FORM = ['--hubspot-form', 'f0f0f0f0-1111-2222-3333-444455556666', '--product', 'Ticket'];
const SQL_TEXT = /\b(select|insert|update|delete)\b.*\b(from|into|set)\b|invalid input syntax|\$1\b/i;

/** Each refused argument list, and what the one-line error must say. */
const REFUSED: Array<[string[], RegExp]> = [
  [
    ['api-key', 'create', '--tenant', 'nope', '--scopes', 'transactions:read'],
    /--tenant.*give the tenant id/,
  ],
  [['api-key', 'list', '--tenant', "1' or '1'='1"], /--tenant.*a UUID/],
  [['api-key', 'revoke', '--tenant', TENANT, '--id', '42'], /--id.*give the key id/],
  [['user', 'invite', '--tenant', 'acme', '--email', 'a@acme.example'], /--tenant.*a UUID/],
  [['form', 'list', '--tenant', 'x'], /--tenant.*a UUID/],
  [['hubspot', 'backfill', '--tenant', 'x'], /--tenant.*a UUID/],
  [['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'XYZ', '--amount', '100'], /ISO 4217/],
  [['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'US', '--amount', '100'], /ISO 4217/],
  [['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'XXX', '--amount', '100'], /ISO 4217/],
  [
    ['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'USD', '--amount', '0'],
    /from 1 to 99999999/,
  ],
  [['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'USD', '--amount', '-5'], /from 1 to/],
  [
    ['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'USD', '--amount', '100000000'],
    /from 1 to/,
  ],
  [['form', 'create', '--tenant', TENANT, ...FORM, '--currency', 'USD', '--min', '1e3'], /from 1 to/],
  [['tenant', 'create', '--name', 'X', '--origin', 'https://shop.example/checkout'], /with no path/],
  [
    ['tenant', 'create', '--name', 'X', '--origin', 'https://shop.example', 'https://a.example?x=1'],
    /with no path/,
  ],
  [['tenant', 'create', '--name', 'X', '--origin', 'http://shop.example'], /must use https/],
  [['tenant', 'create', '--name', 'X', '--origin', 'javascript:alert(1)'], /http\(s\) origin/],
  [['tenant', 'set-stripe-account', "1' or '1'='1", 'acct_1'], /tenant id.*a UUID/],
  [['tenant', 'set-stripe-account', TENANT, "acct_1'; drop table tenants"], /must look like acct_/],
];

function assertOneLineRefusal(
  result: { code: number; out: string[]; err: string[] },
  argv: string[],
  message: RegExp,
) {
  const label = argv.join(' ');
  assert.notEqual(result.code, 0, label);
  assert.equal(result.err.length, 1, `${label}: ${result.err.join(' | ')}`);
  const line = result.err[0]!;
  assert.doesNotMatch(line, /\n/, label);
  assert.match(line, /^error: /, label);
  assert.match(line, message, label);
  assert.doesNotMatch(line, SQL_TEXT, label);
  assert.deepEqual(result.out, [], label);
}

describe('onepagepay-relay argument checks, --version and --json', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let postgres: Database | undefined;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-cli-args-'));
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

  it('refuses malformed ids, currencies, amounts and origins before opening the database', async () => {
    // A database nobody listens on: a command that reached SQL would fail to connect instead.
    const unreachable = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
      ONEPAGEPAY_DATA_DIR: dataDir,
    };
    for (const [argv, message] of REFUSED) {
      assertOneLineRefusal(await runCliCaptured(unreachable, argv), argv, message);
    }
  });

  it('refuses the same input in one line against the real database, and writes nothing', async () => {
    for (const [argv, message] of REFUSED) assertOneLineRefusal(await run(...argv), argv, message);
    const tenants = await run('tenant', 'list', '--json');
    assert.equal(tenants.code, 0, tenants.err.join());
    assert.deepEqual(JSON.parse(tenants.out.join('\n')), []);
  });

  it('reports a database refusal by its SQLSTATE, never with the statement', async () => {
    // A NUL byte passes every argument check but no PostgreSQL text column takes it.
    const result = await run('tenant', 'create', '--name', 'Acme\u0000', '--origin', 'https://acme.example');
    assert.equal(result.code, 1);
    assert.equal(result.err.length, 1, result.err.join(' | '));
    assert.match(result.err[0]!, /^error: the database refused the command \(SQLSTATE [0-9A-Z]{5}\)/);
    assert.doesNotMatch(result.err[0]!, SQL_TEXT);
  });

  it('prints the package version', async () => {
    const manifest = JSON.parse(
      await fs.readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const result = await runCliCaptured({}, [flag]);
      assert.equal(result.code, 0);
      assert.deepEqual(result.out, [manifest.version]);
    }
  });

  it('lists tenants, forms and API keys as JSON with --json', async () => {
    const tenantId = (
      await run('tenant', 'create', '--name', 'Acme', '--origin', 'https://www.acme.example/')
    ).out[0]!;
    const form = await run(
      'form',
      'create',
      '--tenant',
      tenantId,
      ...FORM,
      '--currency',
      'jpy',
      '--amount',
      '500',
    );
    assert.equal(form.code, 0, form.err.join());
    const key = await run(
      'api-key',
      'create',
      '--tenant',
      tenantId,
      '--scopes',
      'transactions:read',
      '--name',
      'books',
    );
    assert.equal(key.code, 0, key.err.join());

    const tenants = JSON.parse((await run('tenant', 'list', '--json')).out.join('\n')) as unknown[];
    assert.deepEqual(tenants, [
      {
        id: tenantId,
        name: 'Acme',
        allowedOrigins: ['https://www.acme.example'],
        stripeAccountId: null,
        createdAt: (tenants[0] as { createdAt: string }).createdAt,
      },
    ]);
    assert.ok(!Number.isNaN(Date.parse((tenants[0] as { createdAt: string }).createdAt)));

    const forms = JSON.parse((await run('form', 'list', '--tenant', tenantId, '--json')).out.join('\n'));
    assert.deepEqual(forms, [
      {
        id: form.out[0],
        tenantId,
        livemode: false,
        hubspotFormGuid: 'f0f0f0f0-1111-2222-3333-444455556666',
        productName: 'Ticket',
        amount: 500,
        currency: 'JPY',
        customAmount: null,
        providers: ['stripe'],
      },
    ]);

    const keys = JSON.parse(
      (await run('api-key', 'list', '--tenant', tenantId, '--json')).out.join('\n'),
    ) as Array<Record<string, unknown>>;
    assert.equal(keys.length, 1);
    assert.deepEqual(
      { ...keys[0], createdAt: undefined },
      {
        id: /^id (\S+)/.exec(key.out[1]!)![1],
        name: 'books',
        livemode: false,
        prefix: keys[0]!.prefix,
        scopes: ['transactions:read'],
        createdAt: undefined,
        lastUsedAt: null,
        revokedAt: null,
      },
    );
    assert.ok(key.out[0]!.startsWith(String(keys[0]!.prefix)), 'the prefix is the start of the secret');
    assert.ok(!JSON.stringify(keys).includes(key.out[0]!), '--json never prints a secret');
  });
});
