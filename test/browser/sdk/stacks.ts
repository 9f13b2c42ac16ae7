// The servers behind the SDK's browser tests: Stripe and PayPal sandboxes and a real relay (and a
// second set whose Stripe is down), a tenant that allows the test page's origin, and forms made on
// demand. The PayPal sandbox sends its webhooks to the relay, as PayPal would.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startChallengeSandbox,
  startHubSpotSandbox,
  type ChallengeSandbox,
  startPayPalSandbox,
  startStripeSandbox,
  type HubSpotSandbox,
  type PayPalSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { inTenantTransaction } from '../../../relay/src/db/tenant-scope.js';
import { createForm } from '../../../relay/src/tenants/create-form.js';
import { createTenant } from '../../../relay/src/tenants/create-tenant.js';
import { PAYPAL_TEST_WEBHOOK_ID, paypalEnvFor } from '../../../relay/src/testing/paypal-fixtures.js';
import { startTestRelay, type TestRelay } from '../../../relay/src/testing/test-relay.js';

export interface Stack {
  stripe: StripeSandbox;
  paypal: PayPalSandbox;
  relay: TestRelay;
  /** The Turnstile fake: the relay's CAPTCHA keys and siteverify, and the widget's api.js. */
  challenge: ChallengeSandbox;
  /** A second tenant, whose payers solve a CAPTCHA on every payment (policy `always`). */
  challengeTenantId: string;
  /** The HubSpot sandbox the relay's health probe asks, when the stack has one. */
  hubspot?: HubSpotSandbox;
  tenantId: string;
  newForm(options?: {
    amount?: number;
    currency?: string;
    customAmount?: { min: number; max: number };
    providers?: string[];
    /** Made for the tenant that asks for a CAPTCHA. */
    challenge?: boolean;
  }): Promise<string>;
  close(): Promise<void>;
}

/** How often a stack with `probeHubSpot` probes its upstreams. */
export const PROBE_INTERVAL_MS = 300;

export async function startStack(
  origins: string[],
  options: { stripeDown?: boolean; probeHubSpot?: boolean } = {},
): Promise<Stack> {
  const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
  const paypal = await startPayPalSandbox({ webhookRetryDelaysMs: [50] });
  const hubspot = options.probeHubSpot ? await startHubSpotSandbox() : undefined;
  const challenge = await startChallengeSandbox();
  const relay = await startTestRelay(stripe, {
    env: {
      ...paypalEnvFor(paypal),
      // Tenants ask for no CAPTCHA unless their policy says so; the relay only has the keys.
      CHALLENGE_PROVIDER: 'turnstile',
      CHALLENGE_SITE_KEY: challenge.turnstile.siteKey,
      CHALLENGE_SECRET_KEY: challenge.turnstile.secretKey,
      CHALLENGE_VERIFY_URL: challenge.turnstileVerifyUrl,
      ...(hubspot
        ? {
            HUBSPOT_API_BASE: hubspot.url,
            HUBSPOT_PROBE_TOKEN: hubspot.createPortal().accessToken,
            STATUS_PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS),
          }
        : {}),
    },
  });
  paypal.setWebhook({ url: `${relay.url}/v1/webhooks/paypal`, webhookId: PAYPAL_TEST_WEBHOOK_ID });
  const knex = relay.database.knex;
  const tenant = await createTenant(knex, { name: 'SDK browser tests', origins });
  const challengeTenant = await createTenant(knex, { name: 'SDK browser tests with a CAPTCHA', origins });
  await knex('tenants').where({ id: challengeTenant.id }).update({ challenge: 'always' });
  if (options.stripeDown) stripe.setOutage('down');
  return {
    stripe,
    paypal,
    relay,
    challenge,
    challengeTenantId: challengeTenant.id,
    ...(hubspot ? { hubspot } : {}),
    tenantId: tenant.id,
    async newForm(form = {}) {
      const guid = crypto.randomUUID();
      await createForm(knex, {
        tenantId: form.challenge ? challengeTenant.id : tenant.id,
        hubspotFormGuid: guid,
        productName: 'Workshop ticket',
        currency: form.currency ?? 'USD',
        ...(form.providers ? { providers: form.providers } : {}),
        ...(form.customAmount ? { customAmount: form.customAmount } : { amount: form.amount ?? 4900 }),
      });
      return guid;
    },
    async close() {
      await relay.close();
      await paypal.close();
      await stripe.close();
      await hubspot?.close();
      await challenge.close();
    },
  };
}

/**
 * Takes the stack's HubSpot sandbox down (or back up) and waits until the relay's public status
 * says so; answers how long that took, which is at most about one probe interval.
 */
export async function setHubSpotOutage(stack: Stack, mode: 'down' | 'none'): Promise<{ elapsedMs: number }> {
  if (!stack.hubspot) throw new Error('this stack has no HubSpot sandbox');
  stack.hubspot.setOutage(mode);
  const wanted = mode === 'down' ? 'down' : 'up';
  const startedAt = Date.now();
  for (;;) {
    const status = (await (await fetch(`${stack.relay.url}/v1/status`)).json()) as {
      providers: Record<string, { status: string }>;
    };
    if (status.providers.hubspot?.status === wanted) return { elapsedMs: Date.now() - startedAt };
    if (Date.now() - startedAt > 20_000) throw new Error(`HubSpot never showed ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What a test can ask about a form: the PaymentIntents made for it and the transactions rows. */
export async function describeForm(stack: Stack, guid: string) {
  const intents = stack.stripe
    .paymentIntents()
    .filter((intent) => (intent.metadata as Record<string, string>)?.onepagepay_hubspot_form_guid === guid)
    .map((intent) => ({ id: intent.id, status: intent.status, amount: intent.amount }));
  // The form is the stack's tenant's or the CAPTCHA tenant's: row-level security shows each only its own.
  const rowsOf = (tenantId: string) =>
    inTenantTransaction(stack.relay.database.knex, { tenantId, livemode: false }, (trx) =>
      trx('transactions as t')
        .join('forms as f', function () {
          this.on('f.id', '=', 't.form_id').andOn('f.tenant_id', '=', 't.tenant_id');
        })
        .where('f.hubspot_form_guid', guid)
        .select(
          't.id',
          't.status',
          't.amount',
          't.form_submitted_by as formSubmittedBy',
          't.submitted_email as submittedEmail',
          't.provider',
          't.provider_payment_id as providerPaymentId',
        ),
    );
  const rows = (await Promise.all([stack.tenantId, stack.challengeTenantId].map(rowsOf))).flat();
  // PayPal orders carry the transaction id as the purchase unit's invoice_id.
  const ids = new Set(rows.map((row: { id: string }) => row.id));
  const orders = stack.paypal
    .orders()
    .map((order) => order as PayPalOrderView)
    .filter((order) => ids.has(order.purchase_units[0]?.invoice_id ?? ''))
    .map((order) => ({
      id: order.id,
      status: order.status,
      captures: (order.purchase_units[0]?.payments?.captures ?? []).map((c) => ({
        id: c.id,
        status: c.status,
      })),
    }));
  return { intents, transactions: rows, orders };
}

interface PayPalOrderView {
  id: string;
  status: string;
  purchase_units: Array<{
    invoice_id?: string;
    payments?: { captures?: Array<{ id: string; status: string }> };
  }>;
}

/**
 * A relay 150 ms away: every answer is held back `delayMs`, so a page that navigates away right
 * after a request is gone before the answer (or a CORS preflight's) arrives, as on a real network.
 */
export async function startDistantRelay(
  target: string,
  delayMs = 150,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const upstream = httpRequest(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: request.headers },
      (answer) => {
        setTimeout(() => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        }, delayMs);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
