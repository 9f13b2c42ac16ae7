// Shared helpers for the Stripe sandbox tests (this file declares no tests of its own).
import Stripe from 'stripe';
import { startStripeSandbox, type StripeSandbox, type StripeSandboxOptions } from '../index.js';

export const CARDS = {
  visa: '4242424242424242',
  threeDSecure: '4000002500003155',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expired: '4000000000000069',
  incorrectCvc: '4000000000000127',
} as const;

export const EXP_YEAR = new Date().getUTCFullYear() + 3;

export function startSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  return startStripeSandbox({ webhookRetryDelaysMs: [20, 40], ...options });
}

/** The real `stripe` package pointed at the sandbox, as the relay configures it. */
export function stripeFor(sandbox: StripeSandbox, key = sandbox.keys.secretTest): Stripe {
  return new Stripe(key, {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

export function cardParams(number: string): Stripe.PaymentMethodCreateParams {
  return { type: 'card', card: { number, exp_month: 12, exp_year: EXP_YEAR, cvc: '123' } };
}

export async function createCard(stripe: Stripe, number: string): Promise<Stripe.PaymentMethod> {
  return stripe.paymentMethods.create(cardParams(number));
}

/** A raw form-encoded call, as Stripe.js (or a misbehaving client) makes it. */
export async function callApi(
  sandbox: StripeSandbox,
  method: string,
  path: string,
  options: { key?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read raw JSON bodies loosely
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.Authorization = `Bearer ${options.key}`;
  const init: RequestInit = { method, headers };
  if (options.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${sandbox.url}${path}`, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (static files): keep the text.
  }
  return { status: response.status, headers: response.headers, body };
}

/** Runs `action` and returns the error it throws; fails the test when it does not throw. */
export async function failureOf<T = Stripe.errors.StripeError>(action: () => Promise<unknown>): Promise<T> {
  try {
    await action();
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
