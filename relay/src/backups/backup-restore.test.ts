import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/open-database.js';
import { APP_ROLE } from '../db/row-security.js';
import { createLogger } from '../logger.js';
import { startRelay } from '../server.js';
import { createCardPaymentMethod, paymentRequest, postJson } from '../testing/payment-fixtures.js';
import { runCliCaptured } from '../testing/run-cli.js';
import { useRelayWithSandbox } from '../testing/use-relay.js';
import { restoreDatabase, type RestoreTarget } from './restore-database.js';
import { takeBackup } from './take-backup.js';

const KEY = { id: 'drill', key: Buffer.alloc(32, 7) };
const ENCRYPTION_KEYS = `${KEY.id}:${KEY.key.toString('base64')}`;

/**
 * The restore drill an operator runs: back up a relay's database while it serves, restore the
 * backup into an empty database, and check that nothing is missing and the restored relay can
 * still refund a payment made before the backup.
 */
describe('backup and restore drill', function () {
  this.timeout(120_000);
  const harness = useRelayWithSandbox();
  let work: string;
  let restored: EmptyTarget;

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'onepagepay-backup-'));
    restored = await emptyTarget(work);
  });
  after(async () => {
    await restored?.drop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('restores every row into an empty database, and the restored relay refunds an old payment', async () => {
    const { relay, stripe, seeded } = harness;
    const paymentMethod = await createCardPaymentMethod(
      stripe.url,
      stripe.keys.publishableTest,
      '4242424242424242',
    );
    const paid = await postJson<{ status: string; transactionId: string }>(
      `${relay.url}/v1/payments`,
      paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethod),
    );
    assert.equal(paid.body.status, 'succeeded', JSON.stringify(paid.body));

    const backup = await takeBackup({
      database: relay.database,
      settings: {
        backups: relay.config.backups,
        encryptionKeys: [KEY],
        ownerUrl: relay.database.connectionString,
      },
      dir: path.join(work, 'backups'),
      now: new Date(),
      encrypt: true,
    });
    assert.equal(backup.encrypted, true);
    const sealed = await fs.readFile(backup.path);
    assert.equal(sealed.subarray(0, 8).toString(), 'OPPBAK1\n');
    assert.ok(!sealed.includes('Ada.Lovelace@example.com'), 'an encrypted backup shows no payer data');

    await restoreDatabase({ file: backup.path, target: restored.target, encryptionKeys: [KEY] });
    const target = await openRestored(restored);
    try {
      assert.deepEqual(await rowCounts(target.knex), await rowCounts(relay.database.knex));
      const [row] = await target.knex('transactions').where({ id: paid.body.transactionId });
      assert.equal(row?.status, 'succeeded');
    } finally {
      await target.close();
    }

    const key = await runCliCaptured(restored.env, [
      'api-key',
      'create',
      '--tenant',
      seeded.tenant.id,
      '--scopes',
      'refunds:write',
    ]);
    assert.equal(key.code, 0, key.err.join('\n'));
    const restoredRelay = await startRelay({
      config: loadConfig({
        ...relayEnv(harness),
        ...restored.env,
        PORT: '0',
        HUBSPOT_WORKER_ENABLED: 'false',
      }),
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const refund = await postJson<{ status: string; amount: number }>(
        `${restoredRelay.url}/v1/transactions/${paid.body.transactionId}/refunds`,
        {},
        { authorization: `Bearer ${key.out[0]}`, 'idempotency-key': `drill-${crypto.randomUUID()}` },
      );
      assert.ok([200, 201].includes(refund.status), JSON.stringify(refund.body));
      assert.equal(refund.body.amount, 4900);
    } finally {
      await restoredRelay.close();
    }
  });

  it('refuses to restore over a database that has data, and leaves it as it was', async () => {
    const backup = await takeBackup({
      database: harness.relay.database,
      settings: {
        backups: harness.relay.config.backups,
        encryptionKeys: [],
        ownerUrl: harness.relay.database.connectionString,
      },
      dir: path.join(work, 'plain'),
      now: new Date(),
      encrypt: false,
    });
    const fresh = await emptyTarget(work);
    try {
      await restoreDatabase({ file: backup.path, target: fresh.target, encryptionKeys: [] });
      const before = await countsOf(fresh);
      await assert.rejects(
        restoreDatabase({ file: backup.path, target: fresh.target, encryptionKeys: [] }),
        /already has tables|is not empty/,
      );
      assert.deepEqual(await countsOf(fresh), before);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a backup that was altered, naming the key it needs', async () => {
    const backup = await takeBackup({
      database: harness.relay.database,
      settings: {
        backups: harness.relay.config.backups,
        encryptionKeys: [KEY],
        ownerUrl: harness.relay.database.connectionString,
      },
      dir: path.join(work, 'altered'),
      now: new Date(),
      encrypt: true,
    });
    const bytes = await fs.readFile(backup.path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    await fs.writeFile(backup.path, bytes);
    const fresh = await emptyTarget(work);
    try {
      await assert.rejects(
        restoreDatabase({ file: backup.path, target: fresh.target, encryptionKeys: [KEY] }),
        /altered or cut short/,
      );
      await assert.rejects(
        restoreDatabase({ file: backup.path, target: fresh.target, encryptionKeys: [] }),
        /encrypted with key "drill"/,
      );
    } finally {
      await fresh.drop();
    }
  });
});

function relayEnv(harness: ReturnType<typeof useRelayWithSandbox>): Record<string, string> {
  const { stripe } = harness;
  return {
    STRIPE_API_BASE: stripe.url,
    STRIPE_TEST_SECRET_KEY: stripe.keys.secretTest,
    STRIPE_TEST_PUBLISHABLE_KEY: stripe.keys.publishableTest,
    ONEPAGEPAY_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
  };
}

/** Row counts of every table, so a restore that drops anything shows. */
async function rowCounts(knex: Knex): Promise<Record<string, string>> {
  const tables = (await knex.raw(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  )) as { rows: Array<{ tablename: string }> };
  const counts: Record<string, string> = {};
  for (const { tablename } of tables.rows) {
    const result = (await knex.raw('select count(*)::text as count from ??', [tablename])) as {
      rows: Array<{ count: string }>;
    };
    counts[tablename] = result.rows[0]?.count ?? '0';
  }
  return counts;
}

/** An empty database of the kind the suite runs on: a new PostgreSQL database, or a new data dir. */
interface EmptyTarget {
  target: RestoreTarget;
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function emptyTarget(work: string): Promise<EmptyTarget> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = path.join(work, `restored-${crypto.randomUUID()}`);
    return {
      target: { kind: 'pglite', dataDir } as RestoreTarget,
      env: { ONEPAGEPAY_DATA_DIR: dataDir },
      drop: () => fs.rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `onepagepay_restore_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  const admin: Knex = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  const ownerUrl = new URL(adminUrl);
  ownerUrl.pathname = `/${name}`;
  const appUrl = new URL(ownerUrl);
  appUrl.username = APP_ROLE;
  return {
    target: { kind: 'postgres', ownerUrl: ownerUrl.toString(), pgBinDir: undefined } as RestoreTarget,
    env: { DATABASE_URL: appUrl.toString(), DATABASE_OWNER_URL: ownerUrl.toString() },
    drop: async () => {
      await admin.raw(`drop database if exists "${name}" with (force)`);
      await admin.destroy();
    },
  };
}

async function countsOf(restored: { target: RestoreTarget }) {
  const database = await openRestored(restored);
  try {
    return await rowCounts(database.knex);
  } finally {
    await database.close();
  }
}

function openRestored(restored: { target: RestoreTarget }): Promise<Database> {
  const { target } = restored;
  return target.kind === 'postgres'
    ? openDatabase({ databaseUrl: target.ownerUrl, dataDir: '', as: 'owner' })
    : openDatabase({ databaseUrl: undefined, dataDir: target.dataDir });
}
