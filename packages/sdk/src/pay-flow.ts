import { createAttemptId } from './attempt-id.js';
import { OnePagePayError } from './errors.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { CreatePaymentRequest, PaymentResult, RelayClient } from './relay-client.js';
import type { Contact } from './hubspot/form-host.js';

/**
 * Refusals the payer reads in the relay's own words, since those say what to do (solve the CAPTCHA,
 * use another card, correct the email). Each also ends the attempt (FINAL): a relay
 * `validation_error` would refuse the same request again.
 */
export const SHOWN_AS_SENT = [
  'challenge_required',
  'challenge_failed',
  'card_declined',
  'payment_failed',
  'validation_error',
  'invalid_email',
];

/**
 * Codes after which the attempt is over: the next press starts a new attempt with fresh card data
 * (and the payer's details read again: after `invalid_email` the payer corrects the email).
 * One list extending the other keeps the CDN core within its 5 KB.
 */
const FINAL = [...SHOWN_AS_SENT, 'price_changed', 'payment_authentication_failed', 'attempt_conflict'];

/** Codes after which the very same request goes out again after a pause: the relay dedupes it by attempt id. */
export const RETRIED = ['attempt_in_progress', 'network_error', 'database_unavailable', 'relay_unavailable'];

export interface PayInput {
  tenantId: string;
  formId: string;
  /** Read while the provider validates its fields, so the provider's submit comes first. */
  contact: Promise<Contact>;
  amount?: number | undefined;
  hutk?: string | undefined;
}

export interface PayFlow {
  pay(input: PayInput): Promise<PaymentResult>;
  /** The attempt id in flight or paid, if any (for the form-submitted report). */
  attemptId(): string | undefined;
}

export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Charges one submission: tokenize, create the payment, run 3-D Secure, confirm. Holds the pending
 * request so that a retry after a network failure, an outage or a busy answer re-sends the very same
 * request (same attempt id, same card token), which the relay answers without charging twice.
 */
export function createPayFlow(relay: RelayClient, provider: PaymentProvider, sleep = wait): PayFlow {
  let pending: CreatePaymentRequest | null = null;

  /**
   * Retries what is safe to retry with the same attempt: no answer, another copy still running, or
   * the relay's database switching to its standby.
   */
  async function retrying(call: () => Promise<PaymentResult>): Promise<PaymentResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!RETRIED.includes((error as OnePagePayError).code) || attempt > 3) throw error;
        await sleep(attempt * 600);
      }
    }
  }

  async function pay(input: PayInput): Promise<PaymentResult> {
    let request = pending;
    if (!request) {
      const billing = input.contact.then((c) => ({ name: `${c.firstName} ${c.lastName}`, email: c.email }));
      const tokenized = await provider.tokenize(billing);
      if ('error' in tokenized) {
        const shownBy = tokenized.shown ? ('provider' as const) : undefined;
        throw new OnePagePayError('validation_error', tokenized.error, shownBy ? { shownBy } : {});
      }
      request = pending = {
        tenantId: input.tenantId,
        formId: input.formId,
        attemptId: createAttemptId(),
        contact: await input.contact,
        ...tokenized.source,
        // Undefined values stay out of the JSON body.
        amount: input.amount,
        hutk: input.hutk,
        pageUri: location.href.slice(0, 2048),
      };
    }
    const { tenantId, attemptId } = request;
    try {
      let result = await retrying(() => relay.createPayment(request));
      if (result.status === 'requires_action' && result.clientSecret) {
        await provider.handleNextAction(result.clientSecret);
        const id = result.transactionId;
        result = await retrying(() => relay.confirmPayment(id, { tenantId, attemptId }));
      }
      if (result.status === 'requires_action' || result.status === 'failed') {
        throw new OnePagePayError('payment_authentication_failed', 'The payment was not completed.');
      }
      return result;
    } catch (error) {
      if (FINAL.includes((error as OnePagePayError).code)) pending = null;
      throw error;
    }
  }

  return { pay, attemptId: () => pending?.attemptId };
}
