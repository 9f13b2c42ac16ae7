import assert from 'node:assert/strict';
import { startStripeSandbox, type StripeSandbox } from '@onepagepay/sandbox';
import { generate } from 'otplib';
import type { EncryptionKey } from '../config.js';
import { loadConnection, saveConnection } from '../hubspot/connection-store.js';
import { TokenCipher } from '../hubspot/token-cipher.js';
import { createLogger } from '../logger.js';
import { openTotpSecret } from '../merchants/totp-secrets.js';
import { startRelay } from '../server.js';
import {
  enrolTotp,
  GOOD_PASSWORD,
  logInMerchant,
  signUpMerchant,
  type MerchantClient,
} from '../testing/merchant-fixtures.js';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';
import { rotateSecrets, rotationIncomplete, type RotationReport } from './rotate-secrets.js';

const key = (id: string, fill: number): EncryptionKey => ({ id, key: Buffer.alloc(32, fill) });
const K0 = key('k0', 9);
const K1 = key('k1', 1);
const K2 = key('k2', 2);
const ring = (...keys: EncryptionKey[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

/**
 * Key rotation on a live database: a relay sealed secrets under k1; the rotation to k2 is
 * interrupted, raced by the relay and resumed; then a relay that knows only k2 opens every secret.
 */
describe('rotate-key: re-sealing stored secrets (real relays + real database)', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let relay: TestRelay;
  let owner: MerchantClient;
  let totpSecret: string;
  const email = `rotate-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const scope = (livemode: boolean) => ({ tenantId: owner.tenantId, livemode });
  const knex = () => relay.database.knex;
  const column = (report: RotationReport, name: string) => report.columns.find((c) => c.name === name);

  before(async () => {
    stripe = await startStripeSandbox();
    relay = await startTestRelay(stripe, {
      env: { ONEPAGEPAY_ENCRYPTION_KEYS: ring(K1), HUBSPOT_WORKER_ENABLED: 'false' },
    });
    owner = await signUpMerchant(relay, email);
    ({ secret: totpSecret } = await enrolTotp(owner));
    // A second merchant mid-enrolment (a pending secret), whose old release kept a plain secret.
    const second = await signUpMerchant(relay, `rotate-2-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await second.post('/v1/merchant/reauthenticate', { password: GOOD_PASSWORD });
    assert.equal((await second.post('/v1/merchant/two-factor/setup')).status, 200);
    await knex()('merchant_users')
      .where({ tenant_id: second.tenantId })
      .update({ totp_secret: 'JBSWY3DPEHPK3PXP' });
    // A tenant's own CAPTCHA secret, set through the merchant API (sealed under k1).
    const captcha = await owner.post('/v1/merchant/challenge', {
      policy: 'always',
      keys: { provider: 'turnstile', siteKey: '0x4AAAAAAAsitekey', secretKey: '0x4AAAAAAAsecret' },
    });
    assert.equal(captcha.status, 200, JSON.stringify(captcha.body));
    const k1 = new TokenCipher([K1]);
    await saveConnection(knex(), k1, scope(false), {
      portalId: 101,
      authKind: 'oauth',
      accessToken: 'access-test',
      refreshToken: 'refresh-test',
    });
    await saveConnection(knex(), k1, scope(true), {
      portalId: 102,
      authKind: 'private_app',
      accessToken: 'pat-live',
    });
  });
  after(async () => {
    await relay?.close();
    await stripe?.close();
  });

  it('counts in a dry run, survives an interruption and a race, and leaves nothing under k1', async () => {
    const dry = await rotateSecrets(knex(), [K2, K1], { dryRun: true });
    assert.deepEqual(column(dry, 'hubspot access tokens')?.remaining, { k1: 2 });
    assert.deepEqual(column(dry, 'TOTP secrets')?.remaining, { k1: 1, 'plain-text': 1 });
    assert.deepEqual(column(dry, 'TOTP secrets being enrolled')?.remaining, { k1: 1 });
    assert.deepEqual(column(dry, 'CAPTCHA secret keys')?.remaining, { k1: 1 });
    assert.equal((await knex()('hubspot_connections').whereLike('access_token', 'v1.k2.%')).length, 0);

    // The operator's terminal closes after two secrets.
    let writes = 0;
    await assert.rejects(
      rotateSecrets(knex(), [K2, K1], {
        dryRun: false,
        beforeWrite: async () => {
          if (++writes > 2) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    const tokens = await knex()('hubspot_connections').orderBy('livemode').select('access_token');
    assert.deepEqual(
      tokens.map((row) => TokenCipher.keyIdOf(row.access_token)),
      ['k2', 'k2'],
      'what was done stays done',
    );
    // Mid-rotation, a relay on the ring [k2, k1] opens old and new seals alike.
    const both = new TokenCipher([K2, K1]);
    assert.equal((await loadConnection(knex(), both, scope(false)))?.refreshToken, 'refresh-test');
    assert.equal((await loadConnection(knex(), both, scope(true)))?.accessToken, 'pat-live');

    // Resumed while the relay replaces a token (a refresh) between the sweep's read and write.
    const resumed = await rotateSecrets(knex(), [K2, K1], {
      dryRun: false,
      beforeWrite: async (sealed) => {
        if (sealed.column === 'refresh_token') {
          await saveConnection(knex(), both, scope(false), {
            portalId: 101,
            authKind: 'oauth',
            accessToken: 'access-test-2',
            refreshToken: 'refresh-test-2',
          });
        }
      },
    });
    assert.equal(column(resumed, 'hubspot access tokens')?.current, 2);
    assert.equal(column(resumed, 'hubspot refresh tokens')?.changedMeanwhile, 1);
    assert.equal(column(resumed, 'TOTP secrets')?.rotated, 2);
    assert.equal(rotationIncomplete(resumed), true, 'a raced secret is checked by the next run');

    const last = await rotateSecrets(knex(), [K2, K1], { dryRun: false });
    assert.equal(rotationIncomplete(last), false, JSON.stringify(last));
    assert.deepEqual(
      last.columns.map((c) => [c.name, c.current, c.rotated]),
      [
        ['hubspot access tokens', 2, 0],
        ['hubspot refresh tokens', 1, 0],
        ['TOTP secrets', 2, 0],
        ['TOTP secrets being enrolled', 1, 0],
        ['CAPTCHA secret keys', 1, 0],
      ],
    );
  });

  it('lets a relay that knows only k2 open every secret: TOTP sign-in and HubSpot tokens', async () => {
    const onlyK2 = await startRelay({
      config: { ...relay.config, port: 0, encryptionKeys: [K2] },
      logger: createLogger({ level: 'silent' }),
      database: relay.database.app ?? relay.database,
      migrate: false,
      mailer: relay.mailbox,
    });
    try {
      const code = await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const login = await logInMerchant(onlyK2.url, { email, password: GOOD_PASSWORD, totpCode: code });
      assert.equal(login.response.status, 200, JSON.stringify(login.response.body));
      assert.equal(login.response.body.twoFactorVerified, true);
    } finally {
      await onlyK2.close();
    }
    const k2 = new TokenCipher([K2]);
    const test = await loadConnection(knex(), k2, scope(false));
    assert.deepEqual([test?.accessToken, test?.refreshToken], ['access-test-2', 'refresh-test-2']);
    assert.equal((await loadConnection(knex(), k2, scope(true)))?.accessToken, 'pat-live');
    const plain = await knex()('merchant_users').whereNot({ tenant_id: owner.tenantId }).first();
    assert.match(plain.totp_secret, /^v1\.k2\./, 'the plain-text secret of an older release is sealed now');
    assert.equal(openTotpSecret({ cipher: k2 }, plain, plain.totp_secret), 'JBSWY3DPEHPK3PXP');
  });

  it('reports a secret under a key the ring lacks as unreadable and leaves it', async () => {
    await saveConnection(knex(), new TokenCipher([K0]), scope(true), {
      portalId: 102,
      authKind: 'private_app',
      accessToken: 'pat-k0',
    });
    const report = await rotateSecrets(knex(), [K2, K1], { dryRun: false });
    assert.deepEqual(column(report, 'hubspot access tokens')?.unreadable, { k0: 1 });
    assert.equal(rotationIncomplete(report), true);
    const row = await knex()('hubspot_connections').where({ livemode: true }).first();
    assert.equal(TokenCipher.keyIdOf(row.access_token), 'k0', 'left as it was');
  });
});
