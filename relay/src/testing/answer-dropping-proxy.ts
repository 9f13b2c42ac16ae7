import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP proxy in front of a sandbox that can lose answers: while `drop(path)` is true for a
 * request, the request reaches the sandbox (which acts on it) but the caller's connection is cut
 * before the answer arrives. That is the "Stripe charged, the relay never heard" case.
 */
export async function startAnswerDroppingProxy(target: string) {
  const base = new URL(target);
  let drop: (method: string, path: string) => boolean = () => false;
  const server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        if (drop(incoming.method ?? 'GET', (incoming.url ?? '').split('?')[0] ?? '')) {
          answer.resume();
          answer.once('end', () => incoming.socket.destroy());
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', () => incoming.socket.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setDrop(rule: (method: string, path: string) => boolean) {
      drop = rule;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
