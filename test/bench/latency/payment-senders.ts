import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Pool } from 'undici';
import { createStripeClient } from '../../../relay/src/payments/providers/stripe/stripe-accounts.js';
import { StripeUndiciHttpClient } from '../../../relay/src/payments/providers/stripe/stripe-http-client.js';
import { paymentRequest } from '../../../relay/src/testing/payment-fixtures.js';
import { admitPaymentAttempt, claimPaymentAttempt, recordPaymentOutcome } from '../payments/relay-sql.js';
import { BENCH_ORIGIN, type PaymentStack } from '../support/payment-stack.js';

/** Makes one payment for a new payer with the given PaymentMethod; rejects unless it succeeded. */
export type PaymentSender = (paymentMethod: string) => Promise<void>;

/**
 * The two sides of the latency bench, paying with PaymentMethods made beforehand:
 *
 * - `relay`: POST /v1/payments through the relay (payers open0@…, apart from the closed-loop
 *   side's payer0@…, so every payment is a new payer and makes both Stripe calls), over an undici pool with more connections than
 *   the open loop ever has in flight at these rates (requests beyond them queue in the pool, and
 *   that wait still counts, from the scheduled start).
 * - `direct`: the same work without the relay: its claim transaction, its two Stripe calls through
 *   the `stripe` client on the relay's own transport (customer create, PaymentIntent
 *   create-and-confirm, with the relay's parameters and idempotency keys), then its outcome
 *   transaction, statement for statement (../payments/relay-sql.ts), on a `pg` pool of the relay's
 *   size (10).
 */
export function paymentSenders(stack: PaymentStack, options: { connections: number }) {
  const http = new Pool(stack.relayUrl, { connections: options.connections, pipelining: 1 });
  const database = new pg.Pool({ connectionString: stack.databaseUrl, max: 10 });
  const transport = new StripeUndiciHttpClient();
  const stripe = createStripeClient('sk_test_bench', {
    apiBase: new URL(stack.stripeUrl),
    timeoutMs: 20_000,
    httpClient: transport,
  });
  let payers = 0;

  const relay: PaymentSender = async (paymentMethod) => {
    const payer = payers++;
    const response = await http.request({
      method: 'POST',
      path: '/v1/payments',
      headers: { origin: BENCH_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify(
        paymentRequest(stack.tenantId, stack.form.hubspotFormGuid, paymentMethod, {
          contact: { email: `open${payer}@bench.example.com`, firstName: 'Bench', lastName: `Payer${payer}` },
        }),
      ),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || !text.includes('"status":"succeeded"')) {
      throw new Error(`relay answered ${response.statusCode} ${text}`);
    }
  };

  const direct: PaymentSender = async (paymentMethod) => {
    const ids = { tenantId: stack.tenantId, formId: stack.form.id, index: payers++, id: randomUUID() };
    const attemptId = `baseline_${ids.id}`;
    await admitPaymentAttempt(database, ids);
    const transactionId = await claimPaymentAttempt(database, ids);
    const customer = await stripe.customers.create(
      {
        email: `baseline${ids.index}@bench.example.com`,
        name: 'Bench Payer',
        metadata: { onepagepay_tenant_id: stack.tenantId, first_name: 'Bench', last_name: 'Payer' },
      },
      { idempotencyKey: `opp_cus_${stack.tenantId}_test_${ids.id}` },
    );
    const intent = await stripe.paymentIntents.create(
      {
        amount: 4900,
        currency: 'usd',
        customer: customer.id,
        payment_method: paymentMethod,
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        description: 'Workshop ticket',
        metadata: {
          onepagepay_tenant_id: stack.tenantId,
          onepagepay_form_id: stack.form.id,
          onepagepay_hubspot_form_guid: stack.form.hubspotFormGuid,
          onepagepay_transaction_id: transactionId,
          onepagepay_attempt_id: attemptId,
        },
      },
      { idempotencyKey: `opp_pi_${stack.tenantId}_${attemptId}` },
    );
    if (intent.status !== 'succeeded') throw new Error(`PaymentIntent ${intent.id} is ${intent.status}`);
    await recordPaymentOutcome(database, ids, {
      transactionId,
      customerId: customer.id,
      paymentIntentId: intent.id,
    });
  };

  return {
    relay,
    direct,
    async close() {
      await http.close();
      await database.end();
      await transport.close();
    },
  };
}
