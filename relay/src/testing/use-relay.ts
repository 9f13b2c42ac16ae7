import { after, before } from 'mocha';
import { startStripeSandbox, type StripeSandbox, type StripeSandboxOptions } from '@onepagepay/sandbox';
import { seedTenantWithForm } from './payment-fixtures.js';
import { startTestRelay, type TestRelay } from './test-relay.js';

export interface RelayHarness {
  stripe: StripeSandbox;
  relay: TestRelay;
  /** A tenant allowing PAGE_ORIGIN with one $49.00 test form. */
  seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;
}

/**
 * Registers mocha hooks that start a Stripe sandbox and a real relay (fresh database, seeded tenant)
 * before the suite and stop both after it. The returned object is filled in by the `before` hook.
 */
export function useRelayWithSandbox(options: { sandbox?: StripeSandboxOptions } = {}): RelayHarness {
  const harness = {} as RelayHarness;
  before(async function (this: Mocha.Context) {
    this.timeout(60_000);
    harness.stripe = await startStripeSandbox(options.sandbox);
    harness.relay = await startTestRelay(harness.stripe);
    harness.seeded = await seedTenantWithForm(harness.relay.database.knex);
  });
  after(async () => {
    await harness.relay?.close();
    await harness.stripe?.close();
  });
  return harness;
}
