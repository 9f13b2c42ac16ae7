import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHubSpotSandbox, type HubSpotSandbox } from '@onepagepay/sandbox';
import { openDatabase } from '../../db/open-database.js';
import { sqlSessionOf } from '../../db/sql-session.js';
import { inTenantTransaction } from '../../db/tenant-scope.js';
import { claimAttempt, applyStatusChange } from '../../payments/transaction-store.js';
import { seedTenantWithForm } from '../../testing/payment-fixtures.js';
import { runCliCaptured } from '../../testing/run-cli.js';

describe('onepagepay-relay hubspot commands', function () {
  this.timeout(60_000);
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let hubspot: HubSpotSandbox;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-hubspot-cli-'));
    hubspot = await startHubSpotSandbox();
    env = {
      ONEPAGEPAY_DATA_DIR: dataDir,
      HUBSPOT_API_BASE: hubspot.url,
      ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      HUBSPOT_CLIENT_ID: hubspot.oauthApp.clientId,
      HUBSPOT_CLIENT_SECRET: hubspot.oauthApp.clientSecret,
      HUBSPOT_REDIRECT_URI: 'https://relay.example/v1/hubspot/oauth/callback',
    };
  });
  after(async () => {
    await hubspot?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) => runCliCaptured(env, argv);

  it('connects a portal, shows its status, backfills, replays, and runs the worker alone', async () => {
    const database = await openDatabase({ dataDir, as: 'owner' });
    const { migrateToLatest } = await import('../../db/migrations/index.js');
    await migrateToLatest(database.knex);
    const { tenant, form } = await seedTenantWithForm(database.knex);
    const scope = { tenantId: tenant.id, livemode: false };
    // A payment from before HubSpot push existed: paid, but its push job is gone.
    await inTenantTransaction(database.knex, scope, async (trx) => {
      const { transaction } = await claimAttempt(sqlSessionOf(trx), scope, {
        formId: form.id,
        attemptId: 'att_before_hubspot_0001',
        requestFingerprint: 'x',
        amount: 4900,
        currency: 'USD',
        productName: 'Workshop ticket',
        provider: 'stripe',
        hutk: null,
        pageUri: null,
      });
      await applyStatusChange(sqlSessionOf(trx), transaction, {
        status: 'succeeded',
        providerPaymentId: 'pi_old',
      });
      await trx('outbox').where({ tenant_id: tenant.id }).delete();
      await trx('transactions').where({ tenant_id: tenant.id }).update({ hubspot_sync_state: null });
    });
    await database.close();

    const link = await run('hubspot', 'connect-url', '--tenant', tenant.id);
    assert.equal(link.code, 0, link.err.join());
    // The relay's start page, next to the callback: it binds the install to the browser that opens it.
    const url = new URL(link.out[0] as string);
    assert.equal(url.origin + url.pathname, 'https://relay.example/v1/hubspot/oauth/start');
    assert.match(url.searchParams.get('ticket') ?? '', /^[\w-]+\.[\w-]+$/);

    const { portalId, accessToken } = hubspot.createPortal();
    // The merchant's HubSpot form as HubSpot's editor makes it: no OnePagePay hidden fields.
    hubspot.createForm(portalId, { formGuid: form.hubspotFormGuid });
    const refused = await run('hubspot', 'set-token', '--tenant', tenant.id, '--portal', String(portalId));
    assert.equal(refused.code, 1);
    assert.match(refused.err.join(), /HUBSPOT_PRIVATE_APP_TOKEN/);
    process.env.HUBSPOT_PRIVATE_APP_TOKEN = accessToken;
    try {
      const connected = await run(
        'hubspot',
        'set-token',
        '--tenant',
        tenant.id,
        '--portal',
        String(portalId),
      );
      assert.equal(connected.code, 0, connected.err.join());
      assert.deepEqual(connected.out, [`connected portal ${portalId} (test mode)`]);
    } finally {
      delete process.env.HUBSPOT_PRIVATE_APP_TOKEN;
    }
    assert.ok(hubspot.properties(portalId, 'line_items').some((p) => p.name === 'onepagepay_transaction_id'));

    const backfill = await run('hubspot', 'backfill', '--tenant', tenant.id, '--since', '2020-01-01');
    assert.deepEqual(backfill.out, ['queued 1 transaction for HubSpot']);
    const status = await run('hubspot', 'status');
    assert.equal(status.code, 0, status.err.join());
    assert.match(
      status.out[0] as string,
      new RegExp(
        `${tenant.id}  test  portal=${portalId}  private_app  connected  key=k1  tz=US/Eastern currencies=USD  pending=1`,
      ),
    );
    assert.match(
      status.out[1] as string,
      new RegExp(
        `form ${form.hubspotFormGuid}: lacks the hidden fields onepagepay_transaction_id, onepagepay_payment_status`,
      ),
      'said before the first payment is pushed',
    );
    assert.ok(!status.out.join().includes(accessToken), 'status never prints a token');

    const replay = await run('hubspot', 'replay', '--tenant', tenant.id);
    assert.deepEqual(replay.out, ['re-queued 0 dead letters']);
    assert.equal((await run('hubspot', 'replay', '--since', 'yesterday-ish')).code, 1);

    // `onepagepay-relay worker` alone delivers the backfilled payment and stops on SIGTERM.
    const worker = spawn(
      process.execPath,
      [fileURLToPath(new URL('../../../bin/onepagepay-relay.js', import.meta.url)), 'worker'],
      {
        env: { ...process.env, ...env, HUBSPOT_WORKER_POLL_MS: '50', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (hubspot.deals(portalId).length === 0 && Date.now() < deadline && worker.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(hubspot.deals(portalId).length, 1, stderr);
    worker.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});
