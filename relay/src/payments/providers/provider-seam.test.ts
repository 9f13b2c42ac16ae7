import assert from 'node:assert/strict';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/open-database.js';
import { createLogger } from '../../logger.js';
import type { SweepDeps } from '../../reconciliation/findings.js';
import { runReconciliationSweep, sweepWindow } from '../../reconciliation/run-sweep.js';
import { UpstreamHealthMonitor } from '../../status/upstream-health.js';
import { upstreamProbes } from '../../status/upstream-probes.js';
import { createTestDatabase } from '../../testing/test-database.js';
import type { ProviderClients } from '../payment-deps.js';
import { PAYMENT_PROVIDERS } from './index.js';
import type { PaymentProvider } from './payment-provider.js';
import { createPayPalAccounts } from './paypal/paypal-accounts.js';
import { paypalProvider } from './paypal/paypal-provider.js';
import { createStripeAccounts } from './stripe/stripe-accounts.js';
import { stripeProvider } from './stripe/stripe-provider.js';

/** A third provider as a new folder would export it; only the members a test sets are reached. */
function thirdProvider(name: string, members: Partial<PaymentProvider>): PaymentProvider {
  const unused = () => Promise.reject(new Error(`${name}: not reached in this test`));
  return {
    name,
    label: name.toUpperCase(),
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
    clients = { stripe: createStripeAccounts(config.stripe), paypal: createPayPalAccounts(config.paypal) };
  });
  after(() => clients.stripe.close());

  it('every registered provider supplies the whole interface under a name of its own', () => {
    const names = PAYMENT_PROVIDERS.map((provider) => provider.name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    for (const provider of PAYMENT_PROVIDERS) {
      // The name is a webhook path segment, a status key and a metrics label.
      assert.match(provider.name, /^[a-z][a-z0-9-]*$/);
      assert.ok(provider.label.length > 0, `${provider.name} has a label`);
      for (const member of ['refund', 'receiveWebhook', 'probe', 'sweep'] as const)
        assert.equal(typeof provider[member], 'function', `${provider.name}.${member}`);
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
