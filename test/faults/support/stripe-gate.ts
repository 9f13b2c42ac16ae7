import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy between one relay and the Stripe sandbox. Armed, it lets the next
 * PaymentIntent creation reach Stripe and succeed there, then runs `onCharged` (which kills the
 * relay) before the relay sees the answer: the relay dies after the provider's success and before
 * its database commit, with no fault hook inside the relay.
 */
export class StripeGate {
  private server: http.Server | undefined;
  private armed: (() => Promise<void>) | undefined;
  private target!: URL;

  static async start(target: string): Promise<StripeGate> {
    const gate = new StripeGate();
    gate.target = new URL(target);
    gate.server = http.createServer((request, response) => void gate.forward(request, response));
    await new Promise<void>((resolve) => gate.server?.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** The next successful PaymentIntent creation through this gate runs `onCharged` instead of answering. */
  arm(onCharged: () => Promise<void>): void {
    this.armed = onCharged;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async forward(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = Buffer.concat(await request.toArray());
    const upstream = await fetch(new URL(request.url ?? '/', this.target), {
      method: request.method ?? 'GET',
      headers: Object.entries(request.headers).flatMap(([name, value]) =>
        value === undefined || ['host', 'connection', 'content-length'].includes(name)
          ? []
          : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
      ),
      ...(body.length > 0 ? { body } : {}),
    }).catch(() => undefined);
    if (!upstream) {
      response.socket?.destroy();
      return;
    }
    const text = await upstream.text();
    const onCharged = this.armed;
    if (
      onCharged &&
      request.method === 'POST' &&
      request.url === '/v1/payment_intents' &&
      upstream.status === 200 &&
      /"status":\s*"succeeded"/.test(text)
    ) {
      this.armed = undefined;
      await onCharged();
      response.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
        headers[name] = value;
    });
    response.writeHead(upstream.status, headers).end(text);
  }
}
