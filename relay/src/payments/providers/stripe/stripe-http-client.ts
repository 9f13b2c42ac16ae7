import type { Readable } from 'node:stream';
import Stripe from 'stripe';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';

/**
 * The `stripe` package's transport, on undici instead of `node:http`. Every payment makes two
 * Stripe calls, and node:http's per-request machinery (ClientRequest, agent bookkeeping, the
 * IncomingMessage stream) was a third of what those calls cost the relay in CPU; undici's pooled
 * keep-alive client does the same work for about two thirds of it (docs/benchmarks.md).
 *
 * It keeps the contract stripe-node's own clients have, so retries and errors behave the same: a
 * timeout rejects with HttpClient's timeout error, a connection dropped by the other end with
 * ECONNRESET (which stripe-node retries once even with retries off), and a body cut short with
 * HttpClient's response-body error.
 */
export class StripeUndiciHttpClient extends Stripe.HttpClient {
  constructor(private readonly dispatcher: Dispatcher = new Agent({ keepAliveTimeout: 30_000 })) {
    super();
  }

  override getClientName(): string {
    return 'undici';
  }

  override async makeRequest(
    host: string,
    port: string | number,
    path: string,
    method: string,
    headers: Record<string, string | number | string[]>,
    requestData: string | Uint8Array | null,
    protocol: string,
    timeout: number,
  ): Promise<Stripe.HttpClientResponse> {
    const portSuffix = port === '' || port === undefined ? '' : `:${port}`;
    try {
      const response = await this.dispatcher.request({
        origin: `${protocol}://${host}${portSuffix}`,
        path,
        method: method as Dispatcher.HttpMethod,
        headers: headers as Record<string, string>,
        body: requestData ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      return new StripeUndiciResponse(response);
    } catch (error) {
      throw asStripeTransportError(error);
    }
  }

  /** Closes the pooled connections (relay shutdown). */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

class StripeUndiciResponse extends Stripe.HttpClientResponse {
  constructor(private readonly response: Dispatcher.ResponseData) {
    super(response.statusCode, response.headers as Record<string, string>);
  }

  override getRawResponse(): Dispatcher.ResponseData {
    return this.response;
  }

  override toStream(streamCompleteCallback: () => void): Readable {
    this.response.body.once('end', () => streamCompleteCallback());
    return this.response.body;
  }

  override async toJSON(): Promise<unknown> {
    let text: string;
    try {
      text = await this.response.body.text();
    } catch (error) {
      throw Stripe.HttpClient.makeResponseBodyError(asStripeTransportError(error));
    }
    return this._parseResponseBody(text);
  }
}

/** undici's errors, in the shapes stripe-node's retry and error logic reads (`code`). */
function asStripeTransportError(error: unknown): unknown {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return Stripe.HttpClient.makeTimeoutError();
  }
  if (error instanceof undiciErrors.SocketError) {
    return Object.assign(new Error(error.message, { cause: error }), { code: 'ECONNRESET' });
  }
  return error;
}
