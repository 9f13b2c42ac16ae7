import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

export interface StripeFaultProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A real HTTP hop between the relay and the Stripe sandbox that can lose answers: a request for
 * which `loseAnswer` says true still reaches the sandbox (so Stripe acts), but the relay's
 * connection is cut before the answer arrives, as when the relay crashes or the network drops
 * mid-call. Everything else passes through unchanged.
 */
export async function startStripeFaultProxy(
  targetUrl: string,
  loseAnswer: (request: ProxiedRequest) => boolean,
): Promise<StripeFaultProxy> {
  const target = new URL(targetUrl);
  const server = http.createServer((incoming, outgoing) => {
    const key = incoming.headers['idempotency-key'];
    const lose = loseAnswer({
      method: incoming.method ?? 'GET',
      path: (incoming.url ?? '/').split('?')[0] ?? '/',
      idempotencyKey: Array.isArray(key) ? key[0] : key,
    });
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.once('end', () => incoming.socket.destroy());
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.once('error', () => incoming.socket.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
