import {
  createCardPaymentMethod,
  PAGE_ORIGIN,
  paymentRequest,
} from '../../../relay/src/testing/payment-fixtures.js';

/** Answers after which the SDK sends the very same request again (packages/sdk pay-flow.ts). */
const RETRYABLE = new Set([
  'database_unavailable',
  'relay_unavailable',
  'provider_unavailable',
  'attempt_in_progress',
  'network_error',
]);

export interface Payer {
  relayUrl: string;
  stripeUrl: string;
  publishableKey: string;
  tenantId: string;
  formGuid: string;
}

export interface PaymentOutcome {
  attemptId: string;
  /** succeeded; declined (a definite refusal); gave_up (retried until the deadline); unclear (an answer that is neither). */
  result: 'succeeded' | 'declined' | 'gave_up' | 'unclear';
  transactionId?: string;
  /** Codes of the retryable answers this attempt got before its last one. */
  retried: string[];
  /** An answer that was not a success, a decline or a retryable error: a defect. */
  unclear?: string;
  startedAt: number;
  /** When the try that succeeded was sent, and when it was answered. */
  succeededTry?: { sentAt: number; answeredAt: number };
}

/**
 * One payer as the SDK behaves: a PaymentMethod made in "Stripe.js", then POST /v1/payments, and
 * after a retryable answer (or none) the same request again, with the same attempt id, after the
 * Retry-After pause, until it is settled or `deadlineMs` passes.
 */
export async function payAsTheSdkDoes(
  payer: Payer,
  options: {
    index: number;
    deadlineMs?: number;
    url?: string;
    paymentMethod?: string;
    /** A payer who closes the page after this many tries without an answer (default: no limit). */
    tries?: number;
  },
): Promise<PaymentOutcome> {
  const startedAt = Date.now();
  const paymentMethod =
    options.paymentMethod ??
    (await createCardPaymentMethod(payer.stripeUrl, payer.publishableKey, '4242424242424242'));
  const request = paymentRequest(payer.tenantId, payer.formGuid, paymentMethod, {
    contact: {
      email: `payer${options.index}@faults.example.com`,
      firstName: 'Fault',
      lastName: `Payer${options.index}`,
    },
  });
  const outcome: PaymentOutcome = { attemptId: request.attemptId, result: 'gave_up', retried: [], startedAt };
  const deadline = startedAt + (options.deadlineMs ?? 120_000);
  let tries = options.tries ?? Infinity;
  for (let url = options.url ?? payer.relayUrl; Date.now() < deadline && tries > 0; url = payer.relayUrl) {
    tries -= 1;
    const sentAt = Date.now();
    const answer = await postPayment(url, request);
    if (answer.status === 200 && answer.code === 'succeeded') {
      return {
        ...outcome,
        result: 'succeeded',
        transactionId: answer.transactionId,
        succeededTry: { sentAt, answeredAt: Date.now() },
      };
    }
    if (answer.status === 402) return { ...outcome, result: 'declined' };
    if (!RETRYABLE.has(answer.code)) {
      return { ...outcome, result: 'unclear', unclear: `${answer.status} ${answer.code}` };
    }
    outcome.retried.push(answer.code);
    if (tries === 0) break;
    await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs));
  }
  return outcome;
}

async function postPayment(
  url: string,
  request: ReturnType<typeof paymentRequest>,
): Promise<{ status: number; code: string; transactionId?: string; retryAfterMs: number }> {
  try {
    const response = await fetch(`${url}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(40_000),
    });
    const retryAfterMs = Math.min(5_000, Number(response.headers.get('retry-after') ?? 1) * 1000) || 1000;
    const body = (await response.json().catch(() => ({}))) as {
      status?: string;
      transactionId?: string;
      error?: { code?: string };
    };
    const code = body.error?.code ?? body.status ?? `http_${response.status}`;
    return {
      status: response.status,
      code,
      retryAfterMs,
      ...(body.transactionId ? { transactionId: body.transactionId } : {}),
    };
  } catch {
    // No answer (connection refused or cut): the SDK's network_error, retried after a short pause.
    return { status: 0, code: 'network_error', retryAfterMs: 600 };
  }
}

/**
 * An open-loop load: a new payer every 1/rate seconds for `durationMs`, whatever the answers, as
 * real payers arrive. `during` runs alongside (the fault); resolves with every payer's outcome.
 */
export async function runOpenLoop(options: {
  rate: number;
  durationMs: number;
  pay: (index: number) => Promise<PaymentOutcome>;
  during?: () => Promise<void>;
}): Promise<PaymentOutcome[]> {
  const payments: Array<Promise<PaymentOutcome>> = [];
  const started = Date.now();
  const fault = options.during?.();
  for (let index = 0; Date.now() - started < options.durationMs; index += 1) {
    payments.push(options.pay(index));
    const next = started + ((index + 1) * 1000) / options.rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await fault;
  return Promise.all(payments);
}
