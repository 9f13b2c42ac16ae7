import { after, before } from 'mocha';
import {
  startPayPalSandbox,
  startStripeSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { seedTenantWithForm } from './payment-fixtures.js';
import { startTestRelay, type TestRelay } from './test-relay.js';

export const PAYPAL_TEST_WEBHOOK_ID = 'WHTEST0NEPAGEPAY1';

/** The relay's PayPal configuration for a PayPal sandbox (its own app credentials, test mode). */
export function paypalEnvFor(paypal: PayPalSandbox): Record<string, string> {
  return {
    PAYPAL_API_BASE: paypal.url,
    PAYPAL_TEST_CLIENT_ID: paypal.credentials.clientId,
    PAYPAL_TEST_CLIENT_SECRET: paypal.credentials.clientSecret,
    PAYPAL_TEST_WEBHOOK_ID: PAYPAL_TEST_WEBHOOK_ID,
    PAYPAL_TIMEOUT_MS: '5000',
  };
}

export function paypalOrderRequest(
  tenantId: string,
  formId: string,
  overrides: Record<string, unknown> = {},
) {
  return { tenantId, formId, attemptId: `att_${crypto.randomUUID().replaceAll('-', '')}`, ...overrides };
}

export interface PayPalRelayHarness {
  stripe: StripeSandbox;
  paypal: PayPalSandbox;
  relay: TestRelay;
  /** A tenant allowing PAGE_ORIGIN with one $49.00 test form that takes Stripe and PayPal. */
  seeded: Awaited<ReturnType<typeof seedTenantWithForm>>;
}

/** Mocha hooks: Stripe and PayPal sandboxes, a real relay on a fresh database, PayPal webhooks to it. */
export function useRelayWithPayPal(): PayPalRelayHarness {
  const harness = {} as PayPalRelayHarness;
  before(async function (this: Mocha.Context) {
    this.timeout(60_000);
    harness.stripe = await startStripeSandbox();
    harness.paypal = await startPayPalSandbox({ webhookRetryDelaysMs: [50] });
    harness.relay = await startTestRelay(harness.stripe, { env: paypalEnvFor(harness.paypal) });
    harness.paypal.setWebhook({
      url: `${harness.relay.url}/v1/webhooks/paypal`,
      webhookId: PAYPAL_TEST_WEBHOOK_ID,
    });
    harness.seeded = await seedTenantWithForm(harness.relay.database.knex, {
      form: { providers: ['stripe', 'paypal'] },
    });
  });
  after(async () => {
    await harness.relay?.close();
    await harness.paypal?.close();
    await harness.stripe?.close();
  });
  return harness;
}
