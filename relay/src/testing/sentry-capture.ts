import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface CapturedEnvelope {
  /** The bytes as they would have left for Sentry (decompressed when the SDK gzipped them). */
  raw: string;
  /** Each item's header and payload, parsed. */
  items: Array<{ header: { type?: string }; payload: unknown }>;
}

/**
 * A local stand-in for Sentry's ingest endpoint: accepts envelopes on /api/<project>/envelope/ and
 * keeps them, so a test sees exactly what a relay with SENTRY_DSN would send.
 */
export class SentryCapture {
  readonly envelopes: CapturedEnvelope[] = [];
  private server: http.Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(request.url ?? '')) {
          const body = Buffer.concat(chunks);
          const raw = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString(
            'utf8',
          );
          this.envelopes.push({ raw, items: parseItems(raw) });
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The DSN that points a relay at this capture (public key, project 1). */
  get dsn(): string {
    return `http://0123456789abcdef0123456789abcdef@127.0.0.1:${this.port}/1`;
  }

  /** The error events among the envelopes received so far. */
  events(): Array<Record<string, unknown>> {
    return this.envelopes.flatMap((envelope) =>
      envelope.items
        .filter((item) => item.header.type === 'event')
        .map((item) => item.payload as Record<string, unknown>),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** An envelope is newline-separated JSON: its header, then a header and a payload per item. */
function parseItems(raw: string): CapturedEnvelope['items'] {
  const lines = raw.split('\n').filter((line) => line !== '');
  const items: CapturedEnvelope['items'] = [];
  for (let index = 1; index + 1 < lines.length; index += 2) {
    items.push({
      header: JSON.parse(lines[index] as string),
      payload: JSON.parse(lines[index + 1] as string),
    });
  }
  return items;
}
