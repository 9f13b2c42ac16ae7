import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import Stripe from 'stripe';
import { migrateToLatest } from '../../db/migrations/index.js';
import { openDatabase } from '../../db/open-database.js';
import { sqlSessionOf } from '../../db/sql-session.js';
import { inTenantTransaction } from '../../db/tenant-scope.js';
import { claimAttempt } from '../../payments/transaction-store.js';
import { createCardPaymentMethod, seedTenantWithForm } from '../../testing/payment-fixtures.js';
import { runCliCaptured } from '../../testing/run-cli.js';

describe('onepagepay-relay reconcile', function () {
  this.timeout(60_000);
  let dataDir: string;
  let sandbox: StripeSandbox;
  let env: NodeJS.ProcessEnv;
  let transactionId: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-reconcile-cli-'));
    sandbox = await startStripeSandbox();
    env = {
      ONEPAGEPAY_DATA_DIR: dataDir,
      STRIPE_API_BASE: sandbox.url,
      STRIPE_TEST_SECRET_KEY: sandbox.keys.secretTest,
      STRIPE_TEST_PUBLISHABLE_KEY: sandbox.keys.publishableTest,
      STRIPE_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'silent',
    };
    // The state a crash leaves: the attempt claimed (processing), Stripe paid, no webhook arrived.
    const database = await openDatabase({ dataDir, as: 'owner' });
    try {
      await migrateToLatest(database.knex);
      const { tenant, form } = await seedTenantWithForm(database.knex);
      const scope = { tenantId: tenant.id, livemode: false };
      const attemptId = 'att_reconcile_cli_0001';
      const { transaction } = await inTenantTransaction(database.knex, scope, (trx) =>
        claimAttempt(sqlSessionOf(trx), scope, {
          formId: form.id,
          attemptId,
          requestFingerprint: 'x',
          amount: 4900,
          currency: 'USD',
          productName: form.productName,
          provider: 'stripe',
          hutk: null,
          pageUri: null,
        }),
      );
      transactionId = transaction.id;
      const stripe = new Stripe(sandbox.keys.secretTest, {
        host: '127.0.0.1',
        port: sandbox.port,
        protocol: 'http',
        telemetry: false,
      });
      await stripe.paymentIntents.create({
        amount: 4900,
        currency: 'usd',
        payment_method: await createCardPaymentMethod(
          sandbox.url,
          sandbox.keys.publishableTest,
          '4242424242424242',
        ),
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: {
          onepagepay_tenant_id: tenant.id,
          onepagepay_form_id: form.id,
          onepagepay_transaction_id: transaction.id,
          onepagepay_attempt_id: attemptId,
        },
      });
    } finally {
      await database.close();
    }
  });
  after(async () => {
    await sandbox?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) => runCliCaptured(env, ['reconcile', ...argv]);
  const statusOf = async () => {
    const database = await openDatabase({ dataDir, as: 'owner' });
    try {
      return (await database.knex('transactions').where({ id: transactionId }).first()).status as string;
    } finally {
      await database.close();
    }
  };

  it('leaves young payments to their request, reports in a dry run, fixes, then finds agreement', async () => {
    const young = await run();
    assert.equal(young.code, 0, young.err.join('\n'));
    assert.deepEqual(young.out.slice(1), ['all in agreement'], 'within RECONCILE_GRACE_MS (5 minutes)');

    const dry = await run('--dry-run', '--json', '--grace-minutes', '0');
    assert.equal(dry.code, 0, dry.err.join('\n'));
    const report = JSON.parse(dry.out.join('\n')) as {
      findings: Array<Record<string, unknown>>;
      dryRun: boolean;
    };
    assert.equal(report.dryRun, true);
    assert.equal(report.findings.length, 1);
    assert.deepEqual(
      { ...report.findings[0], tenantId: undefined, providerId: undefined },
      {
        provider: 'stripe',
        kind: 'status_mismatch',
        outcome: 'found',
        tenantId: undefined,
        livemode: false,
        providerId: undefined,
        transactionId,
        ourStatus: 'processing',
        providerStatus: 'succeeded',
      },
    );
    assert.equal(await statusOf(), 'processing');

    const fixed = await run('--grace-minutes', '0', '--hours', '1');
    assert.equal(fixed.code, 0, fixed.err.join('\n'));
    assert.match(fixed.out[0] ?? '', /^checked 1 Stripe and 0 PayPal payments from /);
    assert.match(fixed.out[1] ?? '', /^fixed +stripe status_mismatch .* ours=processing provider=succeeded$/);
    assert.equal(await statusOf(), 'succeeded');
    assert.deepEqual((await run('--grace-minutes', '0')).out.slice(1), ['all in agreement']);
  });

  it('refuses bad arguments in one line, and exits 2 when Stripe cannot be read', async () => {
    const zero = await run('--hours', '0');
    assert.equal(zero.code, 1);
    assert.match(zero.err.join('\n'), /give whole hours from 1 to 2160/);
    const hostile = await run('--grace-minutes', '1e9');
    assert.equal(hostile.code, 1);

    const down = await runCliCaptured({ ...env, STRIPE_API_BASE: 'http://127.0.0.1:9' }, [
      'reconcile',
      '--grace-minutes',
      '0',
    ]);
    assert.equal(down.code, 2);
    assert.match(down.out.join('\n'), /^error +stripe: test the platform account: /m);
  });
});
