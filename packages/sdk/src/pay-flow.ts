import { createAttemptId } from './attempt-id.js';
import { OnePagePayError } from './errors.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { CreatePaymentRequest, PaymentResult, RelayClient } from './relay-client.js';
import type { Contact } from './hubspot/form-host.js';

/** Codes after which the attempt is over: the next press starts a new attempt with fresh card data. */
const FINAL = [
  'card_declined',
  'payment_authentication_failed',
  'payment_failed',
  'attempt_conflict',
  'price_changed',
];

export interface PayInput {
  tenantId: string;
  formId: string;
  /** Read while the provider validates its fields, so the provider's submit comes first. */
  contact: Promise<Contact>;
  amount?: number | undefined;
  hutk?: string | undefined;
}

/**
 * Charges one submission: tokenize, create the payment, run 3-D Secure, confirm. Holds the pending
 * request so that a retry after a network failure, an outage or a busy answer re-sends the very same
 * request (same attempt id, same card token), which the relay answers without charging twice.
 */
export class PayFlow {
  private pending: CreatePaymentRequest | null = null;

  constructor(
    private readonly relay: RelayClient,
    private readonly provider: PaymentProvider,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** The attempt id in flight, if any (for the form-submitted report). */
  get attemptId(): string | undefined {
    return this.pending?.attemptId;
  }

  async pay(input: PayInput): Promise<PaymentResult> {
    let request = this.pending;
    if (!request) {
      const billing = input.contact.then((c) => ({ name: `${c.firstName} ${c.lastName}`, email: c.email }));
      const tokenized = await this.provider.tokenize(billing);
      if ('error' in tokenized) throw new OnePagePayError('validation_error', tokenized.error);
      request = {
        tenantId: input.tenantId,
        formId: input.formId,
        attemptId: createAttemptId(),
        contact: await input.contact,
        ...tokenized.source,
        ...(input.amount === undefined ? {} : { amount: input.amount }),
        ...(input.hutk ? { hutk: input.hutk } : {}),
        pageUri: location.href.slice(0, 2048),
      };
      this.pending = request;
    }
    const { tenantId, attemptId } = request;
    try {
      let result = await this.retrying(() => this.relay.createPayment(request));
      if (result.status === 'requires_action' && result.clientSecret) {
        await this.provider.handleNextAction(result.clientSecret);
        const id = result.transactionId;
        result = await this.retrying(() => this.relay.confirmPayment(id, { tenantId, attemptId }));
      }
      if (result.status === 'requires_action' || result.status === 'failed') {
        throw new OnePagePayError('payment_authentication_failed', 'The payment was not completed.');
      }
      return result;
    } catch (error) {
      if (error instanceof OnePagePayError && FINAL.includes(error.code)) this.pending = null;
      throw error;
    }
  }

  /** Retries what is safe to retry with the same attempt: no answer, or another copy still running. */
  private async retrying(call: () => Promise<PaymentResult>): Promise<PaymentResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const code = (error as OnePagePayError).code;
        const retry = code === 'attempt_in_progress' || code === 'network_error';
        if (!retry || attempt >= 4) throw error;
        await this.sleep(attempt * 600);
      }
    }
  }
}
