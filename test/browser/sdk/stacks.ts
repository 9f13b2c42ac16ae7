// The servers behind the SDK's browser tests: Stripe and PayPal sandboxes and a real relay (and a
// second set whose Stripe is down), a tenant that allows the test page's origin, and forms made on
// demand. The PayPal sandbox sends its webhooks to the relay, as PayPal would.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startPayPalSandbox,
  startStripeSandbox,
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
  tenantId: string;
  newForm(options?: {
    amount?: number;
    currency?: string;
    customAmount?: { min: number; max: number };
    providers?: string[];
  }): Promise<string>;
  close(): Promise<void>;
}

export async function startStack(origins: string[], options: { stripeDown?: boolean } = {}): Promise<Stack> {
  const stripe = await startStripeSandbox({ host: '127.0.0.1', port: 0 });
  const paypal = await startPayPalSandbox({ webhookRetryDelaysMs: [50] });
  const relay = await startTestRelay(stripe, { env: paypalEnvFor(paypal) });
  paypal.setWebhook({ url: `${relay.url}/v1/webhooks/paypal`, webhookId: PAYPAL_TEST_WEBHOOK_ID });
  const knex = relay.database.knex;
  const tenant = await createTenant(knex, { name: 'SDK browser tests', origins });
  if (options.stripeDown) stripe.setOutage('down');
  return {
    stripe,
    paypal,
    relay,
    tenantId: tenant.id,
    async newForm(form = {}) {
      const guid = crypto.randomUUID();
      await createForm(knex, {
        tenantId: tenant.id,
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
    },
  };
}

/** What a test can ask about a form: the PaymentIntents made for it and the transactions rows. */
export async function describeForm(stack: Stack, guid: string) {
  const intents = stack.stripe
    .paymentIntents()
    .filter((intent) => (intent.metadata as Record<string, string>)?.onepagepay_hubspot_form_guid === guid)
    .map((intent) => ({ id: intent.id, status: intent.status, amount: intent.amount }));
  const scope = { tenantId: stack.tenantId, livemode: false };
  const rows = await inTenantTransaction(stack.relay.database.knex, scope, (trx) =>
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
