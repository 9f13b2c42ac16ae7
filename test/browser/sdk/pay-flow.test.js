// The retry contract of one submission, with a scripted relay: a lost answer, a busy attempt and an
// outage re-send the very same request (same attempt id, same card token); a decline ends the
// attempt, and the next press tokenizes again under a new attempt id.
import { createPayFlow } from '../../../packages/sdk/src/pay-flow.ts';
import { OnePagePayError } from '../../../packages/sdk/src/errors.ts';
import { deepEqual, equal, ok } from './helpers.js';

const CONTACT = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
const PAID = {
  transactionId: '0b9d7c2e-4a51-4d2b-9f7e-3f1c2d4e5a6b',
  status: 'succeeded',
  amount: 4900,
  currency: 'USD',
};

function scriptedRelay(answers) {
  const calls = [];
  const answer =
    (name) =>
    async (...args) => {
      calls.push({ name, args: JSON.parse(JSON.stringify(args)) });
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    };
  return { calls, relay: { createPayment: answer('create'), confirmPayment: answer('confirm') } };
}

function countingProvider() {
  let tokens = 0;
  const actions = [];
  return {
    get tokens() {
      return tokens;
    },
    actions,
    tokenize: async (billing) => {
      await billing;
      tokens += 1;
      return { source: { provider: 'stripe', stripe: { paymentMethodId: `pm_test_${tokens}` } } };
    },
    handleNextAction: async (secret) => actions.push(secret),
  };
}

const input = { tenantId: '92f46ed9-9403-4ebc-87fe-309aca3b8744', formId: 'form-guid' };
const pay = (flow) => flow.pay({ ...input, contact: Promise.resolve(CONTACT) });
const noWait = async () => {};

describe('one submission: retries and attempts', () => {
  it('re-sends the same request after a lost answer and a busy attempt', async () => {
    const { calls, relay } = scriptedRelay([
      new OnePagePayError('network_error', 'lost'),
      new OnePagePayError('attempt_in_progress', 'busy', { status: 409 }),
      PAID,
    ]);
    const provider = countingProvider();
    const result = await pay(createPayFlow(relay, provider, noWait));
    equal(result.transactionId, PAID.transactionId);
    equal(provider.tokens, 1, 'the card was tokenized once');
    equal(calls.length, 3, 'three tries');
    deepEqual(calls[1].args, calls[0].args, 'the same request');
    deepEqual(calls[2].args, calls[0].args, 'the same request');
    ok(/^[A-Za-z0-9_-]{16,64}$/.test(calls[0].args[0].attemptId), 'a valid attempt id');
  });

  it('re-sends the same request while the relay database fails over', async () => {
    const { calls, relay } = scriptedRelay([
      new OnePagePayError('database_unavailable', 'switching', { status: 503 }),
      new OnePagePayError('database_unavailable', 'switching', { status: 503 }),
      PAID,
    ]);
    const result = await pay(createPayFlow(relay, countingProvider(), noWait));
    equal(result.transactionId, PAID.transactionId);
    equal(calls.length, 3, 'three tries');
    deepEqual(calls[2].args, calls[0].args, 'the same attempt, so no double charge');
  });

  it('keeps the attempt across an outage: the payer presses again and the same request goes out', async () => {
    const { calls, relay } = scriptedRelay([
      new OnePagePayError('provider_unavailable', 'down', { status: 503 }),
      PAID,
    ]);
    const provider = countingProvider();
    const flow = createPayFlow(relay, provider, noWait);
    await pay(flow).then(
      () => ok(false, 'should fail'),
      (error) => equal(error.code, 'provider_unavailable'),
    );
    await pay(flow);
    equal(provider.tokens, 1, 'no second card token');
    deepEqual(calls[1].args, calls[0].args, 'the same request, so no double charge');
  });

  it('starts a new attempt with a fresh token after a decline', async () => {
    const { calls, relay } = scriptedRelay([
      new OnePagePayError('card_declined', 'Your card was declined.', { status: 402 }),
      PAID,
    ]);
    const provider = countingProvider();
    const flow = createPayFlow(relay, provider, noWait);
    await pay(flow).catch((error) => equal(error.code, 'card_declined'));
    await pay(flow);
    equal(provider.tokens, 2, 'tokenized again');
    ok(calls[0].args[0].attemptId !== calls[1].args[0].attemptId, 'a new attempt id');
    equal(calls[1].args[0].stripe.paymentMethodId, 'pm_test_2');
  });

  it('after a CAPTCHA refusal, the next press tokenizes again (and so picks up the solved token)', async () => {
    for (const code of ['challenge_required', 'challenge_failed']) {
      const { calls, relay } = scriptedRelay([
        new OnePagePayError(code, 'Solve the CAPTCHA, then send the payment again.', { status: 403 }),
        PAID,
      ]);
      const provider = countingProvider();
      const flow = createPayFlow(relay, provider, noWait);
      await pay(flow).catch((error) => equal(error.code, code));
      await pay(flow);
      equal(provider.tokens, 2, `${code}: tokenized again`);
      ok(calls[0].args[0].attemptId !== calls[1].args[0].attemptId, `${code}: a new attempt id`);
    }
  });

  it('runs the next action, then confirms the same attempt', async () => {
    const { calls, relay } = scriptedRelay([
      { ...PAID, status: 'requires_action', clientSecret: 'pi_1_secret_2' },
      PAID,
    ]);
    const provider = countingProvider();
    await pay(createPayFlow(relay, provider, noWait));
    deepEqual(provider.actions, ['pi_1_secret_2']);
    equal(calls[1].name, 'confirm');
    deepEqual(calls[1].args, [
      PAID.transactionId,
      { tenantId: input.tenantId, attemptId: calls[0].args[0].attemptId },
    ]);
  });

  it('gives up after a bounded number of lost answers, keeping the attempt for the next press', async () => {
    const lost = () => new OnePagePayError('network_error', 'lost');
    const { calls, relay } = scriptedRelay([lost(), lost(), lost(), lost(), PAID]);
    const flow = createPayFlow(relay, countingProvider(), noWait);
    await pay(flow).catch((error) => equal(error.code, 'network_error'));
    equal(calls.length, 4, 'four tries, then the payer decides');
    const attemptId = flow.attemptId();
    await pay(flow);
    equal(calls[4].args[0].attemptId, attemptId, 'the same attempt on the next press');
  });
});
