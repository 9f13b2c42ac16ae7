import assert from 'node:assert/strict';
import { Provider } from '@onepagepay/protocol';
import { loadConfig } from '../../config.js';
import { Tenant } from '../../db/models/tenant.js';
import type { Database } from '../../db/open-database.js';
import { isRelayError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { readTransactionFilters } from '../../merchants/transaction-listing.js';
import type { SweepDeps } from '../../reconciliation/findings.js';
import { runReconciliationSweep, sweepWindow } from '../../reconciliation/run-sweep.js';
import { UpstreamHealthMonitor } from '../../status/upstream-health.js';
import { upstreamProbes } from '../../status/upstream-probes.js';
import { checkFormSettings } from '../../tenants/form-settings.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { closeProviderClients, createProviderClients, type ProviderClients } from '../payment-deps.js';
import { PAYMENT_PROVIDERS } from './index.js';
import type { PaymentProvider } from './payment-provider.js';
import { paypalProvider } from './paypal/paypal-provider.js';
import { publicProviderConfigs } from './public-provider-configs.js';
import { stripeProvider } from './stripe/stripe-provider.js';

const REGISTERED = PAYMENT_PROVIDERS.map((provider) => provider.name);

/** The RelayError (code: message) a call throws, or undefined when it throws none. */
function refusal(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    if (isRelayError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** A third provider as a new folder would export it; only the members a test sets are reached. */
function thirdProvider(name: string, members: Partial<PaymentProvider>): PaymentProvider {
  const unused = () => Promise.reject(new Error(`${name}: not reached in this test`));
  return {
    name,
    label: name.toUpperCase(),
    publicConfig: () => null,
    refund: unused,
    receiveWebhook: unused,
    probe: () => undefined,
    sweep: unused,
    ...members,
  };
}

/**
 * The seam (issue 12, item 0): health probes and reconciliation take the providers they are
 * given, so a third provider reaches `/v1/status` and the sweep from its own folder and the
 * registry, with the relay's real Stripe and PayPal providers (not configured here) beside it.
 */
describe('payment providers behind one seam', function () {
  this.timeout(30_000);
  const config = loadConfig({});
  let clients: ProviderClients;

  before(() => {
    clients = createProviderClients(config);
  });
  after(() => closeProviderClients(clients));

  it('every registered provider supplies the whole interface under a name of its own', () => {
    const names = PAYMENT_PROVIDERS.map((provider) => provider.name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    for (const provider of PAYMENT_PROVIDERS) {
      // The name is a webhook path segment, a status key and a metrics label.
      assert.match(provider.name, /^[a-z][a-z0-9-]*$/);
      assert.ok(provider.label.length > 0, `${provider.name} has a label`);
      for (const member of ['publicConfig', 'refund', 'receiveWebhook', 'probe', 'sweep'] as const)
        assert.equal(typeof provider[member], 'function', `${provider.name}.${member}`);
    }
  });

  it("registers exactly the protocol's provider names, and builds clients for each", () => {
    // The schemas (form settings, payment requests, OpenAPI) and the registry name the same providers.
    assert.deepEqual(
      Provider.anyOf.map((literal) => literal.const),
      REGISTERED,
    );
    assert.deepEqual(Object.keys(clients).sort(), [...REGISTERED].sort(), 'createProviderClients');
  });

  it('form settings and the transaction filter take every registered name and no other', () => {
    const settings = { currency: 'usd', amount: 1_000, customAmount: null };
    for (const name of REGISTERED) {
      assert.deepEqual(checkFormSettings({ ...settings, providers: [name] }).providers, [name]);
      assert.deepEqual(readTransactionFilters({ provider: name }), { provider: name });
    }
    assert.deepEqual(checkFormSettings({ ...settings, providers: REGISTERED }).providers, REGISTERED);
    assert.equal(
      refusal(() => checkFormSettings({ ...settings, providers: ['stripe', 'acme'] })),
      'invalid_request: providers must be one or more of: stripe, paypal.',
    );
    assert.equal(
      refusal(() => readTransactionFilters({ provider: 'acme' })),
      'invalid_request: provider must be stripe or paypal.',
    );
  });

  it('asks each provider a form offers for its block of the public config, null for the others', () => {
    const tenant = Object.assign(new Tenant(), {
      id: '00000000-0000-4000-8000-000000000001',
      stripeAccountId: 'acct_1',
      paypalMerchantId: 'MERCHANT1',
    });
    const asked: Array<[string, ProviderClients, Tenant, boolean]> = [];
    const acme = thirdProvider('acme', {
      publicConfig(given, givenTenant, livemode) {
        asked.push(['acme', given, givenTenant, livemode]);
        return { siteKey: `acme_${givenTenant.id}` };
      },
    });
    const unasked = thirdProvider('unasked', {
      publicConfig: () => assert.fail('a provider the form does not offer is not asked'),
    });
    const blocks = publicProviderConfigs([stripeProvider, acme, unasked, paypalProvider], clients, tenant, {
      providers: ['acme', 'stripe'],
      livemode: true,
    });
    // The JSON keys follow the registry; Stripe without keys for the mode has no block.
    assert.deepEqual(Object.entries(blocks), [
      ['stripe', null],
      ['acme', { siteKey: `acme_${tenant.id}` }],
      ['unasked', null],
      ['paypal', null],
    ]);
    assert.deepEqual(asked, [['acme', clients, tenant, true]]);
  });

  it("gives Stripe's and PayPal's public blocks from their own clients, never a secret", async () => {
    const configured = createProviderClients(
      loadConfig({
        STRIPE_TEST_SECRET_KEY: 'sk_test_seam',
        STRIPE_TEST_PUBLISHABLE_KEY: 'pk_test_seam',
        PAYPAL_TEST_CLIENT_ID: 'AbC',
        PAYPAL_TEST_CLIENT_SECRET: 'paypal-secret',
      }),
    );
    try {
      const tenant = Object.assign(new Tenant(), { stripeAccountId: 'acct_1', paypalMerchantId: null });
      const form = { providers: REGISTERED, livemode: false };
      const blocks = publicProviderConfigs(PAYMENT_PROVIDERS, configured, tenant, form);
      assert.deepEqual(blocks, {
        stripe: { publishableKey: 'pk_test_seam', accountId: 'acct_1' },
        paypal: { clientId: 'AbC', merchantId: null },
      });
      const live = publicProviderConfigs(PAYMENT_PROVIDERS, configured, tenant, { ...form, livemode: true });
      assert.deepEqual(live, { stripe: null, paypal: null }, 'live mode is not set up');
    } finally {
      await closeProviderClients(configured);
    }
  });

  it('probes each provider given, in order, leaving out those without a probe', async () => {
    let seenClients: ProviderClients | undefined;
    const acme = thirdProvider('acme', {
      probe: (given) => {
        seenClients = given;
        return () => Promise.resolve('ok');
      },
    });
    const dormant = thirdProvider('dormant', { probe: () => undefined });
    const probes = upstreamProbes({
      providers: [stripeProvider, acme, paypalProvider, dormant],
      clients,
      config,
    });
    // PayPal and HubSpot are not configured: left out; Stripe without keys is reported down.
    assert.deepEqual(Object.keys(probes), ['stripe', 'acme']);
    assert.equal(seenClients, clients, 'a provider is handed the clients to pick its own from');
    await assert.rejects(probes.stripe?.() ?? Promise.resolve(), /not configured/);

    const monitor = new UpstreamHealthMonitor(probes, { cacheMs: 0, timeoutMs: 3_000 });
    const status = await monitor.status();
    assert.deepEqual(
      Object.entries(status.providers).map(([name, health]) => [name, health.status]),
      [
        ['stripe', 'down'],
        ['acme', 'up'],
      ],
    );
    assert.equal(status.status, 'degraded');
  });

  describe('reconciliation', () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase();
    });
    after(() => database?.close());

    it('sweeps each provider given and names it on all it reported, past one that throws', async () => {
      const deps: SweepDeps = { ...clients, knex: database.knex, logger: createLogger({ level: 'silent' }) };
      const options = { ...sweepWindow(Date.now(), 3_600_000, 0), dryRun: true };
      const broken = thirdProvider('broken', {
        async sweep(_deps, _options, report) {
          report.checked += 1;
          throw new Error('could not list payments');
        },
      });
      const acme = thirdProvider('acme', {
        async sweep(given, givenOptions, report) {
          assert.equal(given, deps);
          assert.equal(givenOptions, options);
          report.checked += 2;
          report.findings.push({
            kind: 'missing_transaction',
            outcome: 'found',
            tenantId: '00000000-0000-4000-8000-000000000001',
            livemode: false,
            providerId: 'acme_pay_1',
            transactionId: null,
            ourStatus: null,
            providerStatus: 'succeeded',
          });
          report.errors.push('account acct_9: unreadable');
        },
      });

      const report = await runReconciliationSweep(
        [stripeProvider, broken, acme, paypalProvider],
        deps,
        options,
      );

      assert.deepEqual(Object.entries(report.checked), [
        ['stripe', 0],
        ['broken', 1],
        ['acme', 2],
        ['paypal', 0],
      ]);
      assert.deepEqual(
        report.findings.map(({ provider, providerId }) => [provider, providerId]),
        [['acme', 'acme_pay_1']],
      );
      assert.equal(Object.keys(report.findings[0] ?? {})[0], 'provider', 'the JSON report leads with it');
      assert.deepEqual(report.errors, [
        { provider: 'broken', message: 'could not list payments' },
        { provider: 'acme', message: 'account acct_9: unreadable' },
      ]);
    });
  });
});
