import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What went through a pass-through proxy: the request as sent and the upstream's answer. */
export interface Exchange {
  method: string;
  path: string;
  body: Buffer;
  /** undefined when the upstream did not answer (the client's socket is then cut). */
  upstream?: { status: number; headers: Record<string, string>; text: string };
}

/**
 * An HTTP proxy on a port of its own in front of a sandbox: each exchange goes to `handle`, which
 * answers it (`reply`) or does something else first (a fault, a count). Nothing in the relay knows.
 */
export async function startPassThrough(
  target: string,
  handle: (exchange: Exchange, reply: () => void, cut: () => void) => Promise<void> | void,
): Promise<{ url: string; close(): Promise<void> }> {
  const base = new URL(target);
  const server = http.createServer((request, response) => {
    void (async () => {
      const body = Buffer.concat(await request.toArray());
      const upstream = await fetch(new URL(request.url ?? '/', base), {
        method: request.method ?? 'GET',
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          value === undefined || ['host', 'connection', 'content-length'].includes(name)
            ? []
            : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
        ),
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (answer) => {
          const headers: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
              headers[name] = value;
          });
          return { status: answer.status, headers, text: await answer.text() };
        })
        .catch(() => undefined);
      const exchange: Exchange = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        body,
        ...(upstream ? { upstream } : {}),
      };
      const cut = () => response.socket?.destroy();
      const reply = () =>
        exchange.upstream
          ? response
              .writeHead(exchange.upstream.status, exchange.upstream.headers)
              .end(exchange.upstream.text)
          : cut();
      await handle(exchange, reply, cut);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
