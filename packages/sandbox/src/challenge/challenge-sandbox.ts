import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { verifyToken, type ChallengeProvider, type IssuedToken, type Verification } from './siteverify.js';

export type { ChallengeProvider, Verification } from './siteverify.js';

export interface ChallengeKeys {
  siteKey: string;
  secretKey: string;
}

/** A running CAPTCHA sandbox: Turnstile's and hCaptcha's siteverify, and their widget scripts. */
export interface ChallengeSandbox {
  url: string;
  /** POST here as Turnstile's siteverify (CHALLENGE_VERIFY_URL). */
  turnstileVerifyUrl: string;
  /** POST here as hCaptcha's siteverify. */
  hcaptchaVerifyUrl: string;
  turnstile: ChallengeKeys;
  hcaptcha: ChallengeKeys;
  /** A token as the widget hands it out after a solved challenge. */
  solve(siteKey: string, hostname?: string): string;
  /** Every siteverify call, oldest first. */
  verifications(): Verification[];
  /** `down`: siteverify answers 503, as during a provider outage. */
  setOutage(mode: 'none' | 'down'): void;
  /**
   * `fail`: siteverify refuses every token (`invalid-input-response`), as Turnstile's documented
   * always-failing test secret does: a browser test's way to a token the relay must refuse.
   */
  setVerdict(mode: 'as-solved' | 'fail'): void;
  close(): Promise<void>;
}

const WIDGET = fileURLToPath(new URL('../../browser/challenge.js', import.meta.url));

/**
 * A local stand-in for Cloudflare Turnstile and hCaptcha, as strict as their documented siteverify:
 * tokens are single-use, expire (Turnstile after 300 s), belong to one site key, and are checked
 * against the secret of that site. The widget script (browser/challenge.js) renders a checkbox
 * that asks this server for a token, as the real widgets ask theirs.
 */
export async function startChallengeSandbox(
  options: { port?: number; now?: () => number } = {},
): Promise<ChallengeSandbox> {
  const now = options.now ?? Date.now;
  const keys: Record<ChallengeProvider, ChallengeKeys> = {
    turnstile: { siteKey: `0x4AAAAAAA${hex(8)}`, secretKey: `0x4AAAAAAA${hex(16)}` },
    hcaptcha: { siteKey: crypto.randomUUID(), secretKey: `0x${hex(20)}` },
  };
  const tokens = new Map<string, IssuedToken>();
  const verifications: Verification[] = [];
  let outage: 'none' | 'down' = 'none';
  let verdict: 'as-solved' | 'fail' = 'as-solved';

  const solve = (siteKey: string, hostname = 'localhost') => {
    const provider = (Object.keys(keys) as ChallengeProvider[]).find(
      (name) => keys[name].siteKey === siteKey,
    );
    if (!provider) throw new Error(`Unknown site key ${siteKey}`);
    const token =
      provider === 'turnstile'
        ? `0.${randomBytes(96).toString('base64url')}`
        : `P1_${randomBytes(96).toString('base64url')}`;
    tokens.set(token, { siteKey, hostname, issuedAt: now(), redeemed: false });
    return token;
  };

  const server = http.createServer((request, response) => {
    void handle(request, response).catch(() => {
      response.writeHead(500).end();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (
      request.method === 'GET' &&
      (url.pathname === '/turnstile/v0/api.js' || url.pathname === '/1/api.js')
    ) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(WIDGET, 'utf8'));
      return;
    }
    const body = await readBody(request);
    if (request.method === 'POST' && url.pathname === '/__sandbox/solve') {
      const siteKey = new URLSearchParams(body).get('sitekey') ?? '';
      const hostname = new URLSearchParams(body).get('hostname') ?? undefined;
      try {
        json(response, 200, { token: solve(siteKey, hostname) });
      } catch {
        json(response, 400, { error: 'invalid-sitekey' });
      }
      return;
    }
    const provider =
      url.pathname === '/turnstile/v0/siteverify'
        ? 'turnstile'
        : url.pathname === '/siteverify'
          ? 'hcaptcha'
          : undefined;
    if (request.method !== 'POST' || !provider) {
      json(response, 404, { error: 'not found' });
      return;
    }
    if (outage === 'down') {
      response.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const result = verifyToken({
      provider,
      contentType: request.headers['content-type'] ?? '',
      body,
      keys: keys[provider],
      tokens,
      now: now(),
      refuseAll: verdict === 'fail',
    });
    verifications.push(result.verification);
    json(response, result.status, result.body);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    turnstileVerifyUrl: `${url}/turnstile/v0/siteverify`,
    hcaptchaVerifyUrl: `${url}/siteverify`,
    turnstile: keys.turnstile,
    hcaptcha: keys.hcaptcha,
    solve,
    verifications: () => [...verifications],
    setOutage(mode) {
      outage = mode;
    },
    setVerdict(mode) {
      verdict = mode;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // The real endpoints refuse huge bodies; a token is at most 2048 characters.
    if (size > 64 * 1024) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
