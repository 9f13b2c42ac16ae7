import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('loadConfig', () => {
  it('starts with zero configuration: PGlite, port 8787, no Stripe keys', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8787);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.stripe.test, undefined);
    assert.equal(config.stripe.live, undefined);
    assert.equal(config.hubspot.worker.tenantConcurrency, 4);
    assert.equal(config.hubspot.worker.batchConcurrency, 4);
  });

  it('reads the HubSpot worker concurrency', () => {
    const { worker } = loadConfig({
      HUBSPOT_WORKER_TENANT_CONCURRENCY: '16',
      HUBSPOT_WORKER_BATCH_CONCURRENCY: '2',
    }).hubspot;
    assert.equal(worker.tenantConcurrency, 16);
    assert.equal(worker.batchConcurrency, 2);
  });

  it('trusts no proxy unless told how many append to X-Forwarded-For', () => {
    assert.equal(loadConfig({}).trustedProxyHops, 0);
    assert.equal(loadConfig({ TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops, 2);
    assert.equal(loadConfig({ TRUST_PROXY: 'true', TRUSTED_PROXY_HOPS: '1' }).trustedProxyHops, 1);
  });

  it('maps keys to their mode by prefix', () => {
    const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc' });
    assert.equal(config.stripe.live?.secretKey, 'sk_live_abc');
    assert.equal(config.stripe.test, undefined);
  });

  it('reads PayPal client credentials per mode, and keeps PayPal off when none are given', () => {
    assert.deepEqual(loadConfig({}).paypal.test, undefined);
    const { paypal } = loadConfig({
      PAYPAL_LIVE_CLIENT_ID: 'AbC-live_1',
      PAYPAL_LIVE_CLIENT_SECRET: 'secret',
      PAYPAL_LIVE_WEBHOOK_ID: '1JE4291016473214C',
      PAYPAL_API_BASE: 'http://127.0.0.1:9999',
    });
    assert.deepEqual(paypal.live, {
      clientId: 'AbC-live_1',
      clientSecret: 'secret',
      webhookId: '1JE4291016473214C',
    });
    assert.equal(paypal.test, undefined);
    assert.equal(paypal.apiBase?.origin, 'http://127.0.0.1:9999');
    assert.equal(paypal.timeoutMs, 20_000);
  });

  it('turns Sentry on only with SENTRY_DSN, with environment and release', () => {
    assert.equal(loadConfig({}).sentry, undefined);
    assert.equal(loadConfig({ SENTRY_DSN: '' }).sentry, undefined);
    assert.deepEqual(loadConfig({ SENTRY_DSN: 'https://0a1b2c3d@o42.ingest.us.sentry.io/4507' }).sentry, {
      dsn: 'https://0a1b2c3d@o42.ingest.us.sentry.io/4507',
      environment: 'production',
      release: undefined,
    });
    const selfHosted = loadConfig({
      SENTRY_DSN: 'http://publickey@127.0.0.1:9000/sentry/1',
      SENTRY_ENVIRONMENT: 'staging',
      SENTRY_RELEASE: 'onepagepay-relay@1.2.3+abc',
    }).sentry;
    assert.equal(selfHosted?.environment, 'staging');
    assert.equal(selfHosted?.release, 'onepagepay-relay@1.2.3+abc');
  });

  const failures: Array<[Record<string, string>, RegExp]> = [
    [{ SENTRY_DSN: 'not a dsn' }, /^SENTRY_DSN must be a Sentry DSN such as https:\/\/<public key>@/],
    [{ SENTRY_DSN: 'https://o42.ingest.sentry.io/4507' }, /^SENTRY_DSN must be a Sentry DSN/],
    [{ SENTRY_DSN: 'https://key@o42.ingest.sentry.io/' }, /^SENTRY_DSN must be a Sentry DSN/],
    [{ SENTRY_DSN: 'ftp://key@o42.ingest.sentry.io/1' }, /^SENTRY_DSN must be a Sentry DSN/],
    [{ SENTRY_DSN: 'https://key@o42.ingest.sentry.io/1?x=1' }, /^SENTRY_DSN must be a Sentry DSN/],
    [{ SENTRY_RELEASE: 'v1' }, /^SENTRY_ENVIRONMENT and SENTRY_RELEASE need SENTRY_DSN/],
    [
      { SENTRY_DSN: 'https://key@o42.ingest.sentry.io/1', SENTRY_ENVIRONMENT: 'my env' },
      /^SENTRY_ENVIRONMENT must be at most 64 characters without spaces or slashes/,
    ],
    [
      { SENTRY_DSN: 'https://key@o42.ingest.sentry.io/1', SENTRY_RELEASE: 'a/b' },
      /^SENTRY_RELEASE must be at most 200 characters/,
    ],
    [{ PAYPAL_TEST_CLIENT_ID: 'app' }, /^PAYPAL_TEST_CLIENT_SECRET must be set too/],
    [{ PAYPAL_LIVE_CLIENT_SECRET: 's' }, /^PAYPAL_LIVE_CLIENT_ID must be set too/],
    [{ PAYPAL_TEST_WEBHOOK_ID: 'WH1' }, /^PAYPAL_TEST_WEBHOOK_ID needs PAYPAL_TEST_CLIENT_ID/],
    [
      { PAYPAL_TEST_CLIENT_ID: 'app', PAYPAL_TEST_CLIENT_SECRET: 's', PAYPAL_TEST_WEBHOOK_ID: 'WH-1' },
      /^PAYPAL_TEST_WEBHOOK_ID must be the webhook id/,
    ],
    [
      { PAYPAL_TEST_CLIENT_ID: 'a b', PAYPAL_TEST_CLIENT_SECRET: 's' },
      /^PAYPAL_TEST_CLIENT_ID must be the client id/,
    ],
    [{ PAYPAL_TIMEOUT_MS: '5' }, /^PAYPAL_TIMEOUT_MS must be an integer/],
    [{ PORT: 'eighty' }, /^PORT must be an integer/],
    [{ PORT: '70000' }, /^PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ STRIPE_SECRET_KEY: 'nope' }, /^STRIPE_SECRET_KEY must start with sk_test_/],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, /^STRIPE_PUBLISHABLE_KEY must be the Stripe test publishable key/],
    [
      { STRIPE_TEST_SECRET_KEY: 'sk_live_abc', STRIPE_TEST_PUBLISHABLE_KEY: 'pk_test_x' },
      /^STRIPE_TEST_SECRET_KEY must be a Stripe test secret key/,
    ],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc' }, /^STRIPE_PUBLISHABLE_KEY/],
    [
      { STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_PUBLISHABLE_KEY: 'pk_test_a', STRIPE_WEBHOOK_SECRET: 'x' },
      /^STRIPE_WEBHOOK_SECRET must be/,
    ],
    [{ STRIPE_API_BASE: 'not a url' }, /^STRIPE_API_BASE must be an absolute URL/],
    [{ REQUIRE_HTTPS: 'maybe' }, /^REQUIRE_HTTPS must be true or false/],
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY is replaced by TRUSTED_PROXY_HOPS/],
    [{ TRUST_PROXY: 'true', TRUSTED_PROXY_HOPS: '0' }, /^TRUST_PROXY=true contradicts TRUSTED_PROXY_HOPS=0/],
    [{ TRUSTED_PROXY_HOPS: '-1' }, /^TRUSTED_PROXY_HOPS must be an integer from 0 to 10/],
    [{ HUBSPOT_WORKER_TENANT_CONCURRENCY: '0' }, /^HUBSPOT_WORKER_TENANT_CONCURRENCY /],
    [{ HUBSPOT_WORKER_BATCH_CONCURRENCY: 'many' }, /^HUBSPOT_WORKER_BATCH_CONCURRENCY must be an integer/],
    [
      { HUBSPOT_WORKER_LEASE_MS: '30000' },
      /^HUBSPOT_WORKER_LEASE_MS \(30000\) must be at least twice HUBSPOT_TIMEOUT_MS \(15000\)/,
    ],
  ];
  for (const [env, message] of failures) {
    it(`fails naming the variable: ${Object.keys(env).join(', ')}`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});
