import {
  startHubSpotSandbox,
  startPayPalSandbox,
  startStripeSandbox,
  type PayPalSandbox,
} from '@onepagepay/sandbox';
import { paypalEnvFor } from '../../relay/src/testing/paypal-fixtures.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  type JsonResponse,
} from '../../relay/src/testing/payment-fixtures.js';
import { startStripeFaultProxy, type StripeFaultProxy } from '../../relay/src/testing/stripe-fault-proxy.js';
import { startTestRelay } from '../../relay/src/testing/test-relay.js';
import { hubspotEnv, HubSpotWorld, type Seeded } from '../hubspot/support.js';

export const METRICS_TOKEN = 'reconciliation-metrics-token-0123456789';

/**
 * A relay whose webhooks are all lost (no Stripe or PayPal endpoint is registered), talking to
 * Stripe through a proxy that can cut the answer to a PaymentIntent after Stripe charged, as a
 * relay crash between Stripe's answer and our commit does. HubSpot and PayPal sandboxes too.
 */
export class SweepWorld extends HubSpotWorld {
  proxy!: StripeFaultProxy;
  paypal!: PayPalSandbox;
  /** While true, the relay never hears Stripe's answer to creating a PaymentIntent. */
  loseChargeAnswers = false;

  static async startWith(env: Record<string, string> = {}): Promise<SweepWorld> {
    const world = new SweepWorld();
    world.stripe = await startStripeSandbox();
    world.hubspot = await startHubSpotSandbox({ clock: () => world.clock.now() });
    world.paypal = await startPayPalSandbox();
    world.proxy = await startStripeFaultProxy(
      world.stripe.url,
      (request) =>
        world.loseChargeAnswers && request.method === 'POST' && request.path === '/v1/payment_intents',
    );
    world.relay = await startTestRelay(
      { url: world.proxy.url, keys: world.stripe.keys },
      { env: { ...hubspotEnv(world.hubspot), ...paypalEnvFor(world.paypal), METRICS_TOKEN, ...env } },
    );
    return world;
  }

  /** Pays with `card` through POST /v1/payments; returns the answer and the attempt's transaction id. */
  async payCard(seeded: Seeded, card: string, email = 'ada.lovelace@example.com') {
    const paymentMethodId = await createCardPaymentMethod(
      this.stripe.url,
      this.stripe.keys.publishableTest,
      card,
    );
    const request = paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethodId, {
      contact: { email, firstName: 'Ada', lastName: 'Lovelace' },
    });
    const answer: JsonResponse = await postJson(`${this.relay.url}/v1/payments`, request);
    const row = await this.knex('transactions')
      .where({ tenant_id: seeded.tenant.id, attempt_id: request.attemptId })
      .first();
    return { answer, attemptId: request.attemptId, transactionId: row?.id as string | undefined };
  }

  /** Pays while the relay never hears Stripe's answer: Stripe has the charge, we a processing row. */
  async payAndCrash(seeded: Seeded, card = '4242424242424242', email?: string) {
    this.loseChargeAnswers = true;
    try {
      return await this.payCard(seeded, card, email);
    } finally {
      this.loseChargeAnswers = false;
    }
  }

  async transaction(id: string) {
    return this.knex('transactions').where({ id }).first();
  }

  override async close(): Promise<void> {
    await super.close();
    await this.proxy?.close();
    await this.paypal?.close();
  }
}
