import type {
  ConfirmPaymentRequest,
  CreatePaymentRequest,
  FormConfig,
  PaymentResult,
  StatusResponse,
} from '@onepagepay/protocol';
import { OnePagePayError } from './errors.js';

export type { FormConfig, PaymentResult, StatusResponse, CreatePaymentRequest };

/** The relay's public routes, as the payer's browser calls them. */
export interface RelayClient {
  status(): Promise<StatusResponse>;
  /** The form's public config, or null when the relay has none for this form (404). */
  formConfig(tenantId: string, formId: string): Promise<FormConfig | null>;
  createPayment(request: CreatePaymentRequest): Promise<PaymentResult>;
  confirmPayment(transactionId: string, request: ConfirmPaymentRequest): Promise<PaymentResult>;
  /** Any other public POST route (PayPal's orders), relay errors as OnePagePayError. */
  post<T>(path: string, body: unknown): Promise<T>;
  /**
   * Best effort: tells the relay that HubSpot took the submission of a paid form. Survives the page
   * navigating away (a form that redirects after submitting).
   */
  reportFormSubmitted(
    transactionId: string,
    body: { tenantId: string; attemptId: string; hutk?: string | undefined; email?: string | undefined },
  ): Promise<void>;
}

export function createRelayClient(
  relayUrl: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): RelayClient {
  const base = relayUrl.replace(/\/+$/, '');

  /** JSON over fetch; relay errors become OnePagePayError with the relay's code. 404 is null. */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | null> {
    const response = await fetchImpl(base + path, {
      method,
      credentials: 'omit',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : null,
    }).catch((cause: unknown) => {
      throw new OnePagePayError('network_error', `No answer from ${base}.`, { cause });
    });
    if (response.status === 404) return null;
    const json = await response.json().catch(() => null);
    if (response.ok && json) return json as T;
    const { code = 'network_error', message = `HTTP ${response.status}`, declineCode } = json?.error ?? {};
    throw new OnePagePayError(code, message, { status: response.status, declineCode });
  }

  const required = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    (await call<T>(method, path, body)) ?? Promise.reject(new OnePagePayError('not_found', `No ${path}.`));

  const seg = encodeURIComponent;
  return {
    status: () => required('GET', '/v1/status'),
    formConfig: (tenantId, formId) => call('GET', `/v1/forms/${seg(tenantId)}/${seg(formId)}`),
    createPayment: (request) => required('POST', '/v1/payments', request),
    confirmPayment: (id, request) => required('POST', `/v1/payments/${seg(id)}/confirm`, request),
    post: (path, body) => required('POST', path, body),
    reportFormSubmitted: async (id, body) => {
      const url = `${base}/v1/payments/${seg(id)}/form-submitted`;
      const json = JSON.stringify(body);
      // text/plain needs no CORS preflight, so the one request leaves at once; keepalive lets it
      // finish after the page is gone. If the fetch fails, a beacon (also text/plain); the relay
      // takes the first report and answers a repeat the same.
      // (A string body goes as text/plain;charset=UTF-8 without a header saying so.)
      await fetchImpl(url, { method: 'POST', keepalive: true, body: json }).then(noop, () =>
        navigator.sendBeacon?.(url, json),
      );
    },
  };
}

const noop = () => undefined;
