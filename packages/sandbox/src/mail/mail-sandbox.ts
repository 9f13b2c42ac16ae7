import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  /** The text body, transfer encoding undone. */
  text: string;
  /** The message as received, headers included. */
  raw: string;
}

export interface MailSandbox {
  /** smtp://127.0.0.1:PORT, for MERCHANT_SMTP_URL or any SMTP client. */
  url: string;
  messages: CapturedMail[];
  close(): Promise<void>;
}

/**
 * A local SMTP server that accepts every message and keeps it, so mail-sending code runs through a
 * real SMTP client end to end and tests (or the demo) read what would have been delivered. It speaks
 * the plain subset of RFC 5321 a submission client needs: EHLO/HELO, AUTH PLAIN and LOGIN (any
 * credentials), MAIL, RCPT, DATA, RSET, NOOP, QUIT. No TLS: it listens on loopback only.
 */
export async function startMailSandbox(options: { port?: number } = {}): Promise<MailSandbox> {
  const messages: CapturedMail[] = [];
  const server = net.createServer((socket) => serveSession(socket, messages));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function serveSession(socket: net.Socket, messages: CapturedMail[]): void {
  const reply = (line: string) => socket.write(`${line}\r\n`);
  let buffer = '';
  let envelope: { from: string; to: string[] } = { from: '', to: [] };
  let data: string[] | undefined;
  let authLines = 0;
  reply('220 onepagepay-mail-sandbox ESMTP');
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (data) {
        if (line === '.') {
          messages.push(parseMessage(envelope, data.join('\r\n')));
          data = undefined;
          envelope = { from: '', to: [] };
          reply('250 2.0.0 Queued');
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        continue;
      }
      if (authLines > 0) {
        authLines -= 1;
        reply(authLines > 0 ? '334 UGFzc3dvcmQ6' : '235 2.7.0 Authentication successful');
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') {
        socket.write('250-onepagepay-mail-sandbox\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
      } else if (verb === 'HELO') reply('250 onepagepay-mail-sandbox');
      else if (verb === 'AUTH') {
        const [, mechanism, initial] = line.split(' ');
        if (mechanism?.toUpperCase() === 'LOGIN') {
          authLines = initial ? 1 : 2;
          reply(initial ? '334 UGFzc3dvcmQ6' : '334 VXNlcm5hbWU6');
        } else if (initial) reply('235 2.7.0 Authentication successful');
        else {
          authLines = 1;
          reply('334 ');
        }
      } else if (verb === 'MAIL') {
        envelope.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        reply('250 2.1.0 Ok');
      } else if (verb === 'RCPT') {
        envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        reply('250 2.1.5 Ok');
      } else if (verb === 'DATA') {
        data = [];
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET') {
        envelope = { from: '', to: [] };
        reply('250 2.0.0 Ok');
      } else if (verb === 'NOOP') reply('250 2.0.0 Ok');
      else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else reply('502 5.5.2 Command not recognized');
    }
  });
}

function parseMessage(envelope: { from: string; to: string[] }, raw: string): CapturedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = new Map<string, string>();
  for (const field of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = field.indexOf(':');
    if (colon > 0) headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  return {
    from: envelope.from,
    to: envelope.to,
    subject: headers.get('subject') ?? '',
    text: decodeBody(body, encoding).replace(/\r\n/g, '\n').replace(/\n$/, ''),
    raw,
  };
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
