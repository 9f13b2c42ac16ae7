import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { startTestRelay, type TestRelay } from '../../testing/test-relay.js';
import { createApiKeyFor, seedTransactions, signUpMerchant } from '../../testing/merchant-fixtures.js';

const EXAMPLE = fileURLToPath(
  new URL('../../../../examples/merchant-api/list-yesterday.mjs', import.meta.url),
);

describe('examples/merchant-api', function () {
  this.timeout(60_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let outDir: string;

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe);
    outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-example-'));
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
    await fs.rm(outDir, { recursive: true, force: true });
  });

  it("lists yesterday's transactions and exports them as CSV with an API key", async () => {
    const merchant = await signUpMerchant(relay, `example-${crypto.randomUUID().slice(0, 8)}@example.com`);
    const key = await createApiKeyFor(merchant, ['transactions:read']);
    const seeded = await seedTransactions(relay.database.knex, merchant.tenantId, { count: 3 });
    const midYesterday = new Date();
    midYesterday.setUTCHours(0, 0, 0, 0);
    midYesterday.setTime(midYesterday.getTime() - 12 * 60 * 60 * 1000);
    await relay.database
      .knex('transactions')
      .whereIn('id', seeded.transactionIds.slice(0, 2))
      .update({ created_at: midYesterday });

    const { stdout } = await promisify(execFile)(process.execPath, [EXAMPLE, outDir], {
      env: { ...process.env, ONEPAGEPAY_API_KEY: key.secret, ONEPAGEPAY_RELAY_URL: relay.url },
    });
    assert.match(stdout, /2 transaction\(s\) on \d{4}-\d{2}-\d{2}/);
    assert.match(stdout, /\$49\.00/);
    const files = await fs.readdir(outDir);
    assert.equal(files.length, 1);
    const csv = (await fs.readFile(path.join(outDir, files[0]!), 'utf8')).trim().split('\n');
    assert.equal(csv.length, 3, 'a header and two rows');
  });
});
