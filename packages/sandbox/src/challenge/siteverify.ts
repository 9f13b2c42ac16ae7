export type ChallengeProvider = 'turnstile' | 'hcaptcha';

export interface IssuedToken {
  siteKey: string;
  hostname: string;
  issuedAt: number;
  redeemed: boolean;
}

/** One siteverify call as the sandbox saw it, for assertions (the secret is never kept). */
export interface Verification {
  provider: ChallengeProvider;
  remoteip: string | undefined;
  success: boolean;
  errorCodes: string[];
}

/** Turnstile tokens live 300 s; hCaptcha's are documented as short-lived too (120 s). */
const TOKEN_LIFETIME_MS: Record<ChallengeProvider, number> = { turnstile: 300_000, hcaptcha: 120_000 };
/** Turnstile: "maximum length: 2048 characters". */
const MAX_TOKEN_LENGTH = 2048;

/**
 * The siteverify decision, per the providers' documentation: Turnstile takes a form or JSON body
 * and reports a reused or expired token as `timeout-or-duplicate`; hCaptcha takes a form body,
 * checks an optional `sitekey` against the secret (`sitekey-secret-mismatch`) and reports a reused
 * token as `invalid-or-already-seen-response`. Both answer 200 with `success: false` and
 * `error-codes` for a bad token or secret.
 */
export function verifyToken(input: {
  provider: ChallengeProvider;
  contentType: string;
  body: string;
  keys: { siteKey: string; secretKey: string };
  tokens: Map<string, IssuedToken>;
  now: number;
  /** Refuse every token with the right secret, as if it were forged. */
  refuseAll?: boolean;
}): { status: number; body: Record<string, unknown>; verification: Verification } {
  const { provider, keys, tokens, now } = input;
  const params = parseParams(provider, input.contentType, input.body);
  const fail = (code: string, status = 200) => ({
    status,
    body: { success: false, 'error-codes': [code], ...(provider === 'turnstile' ? { messages: [] } : {}) },
    verification: { provider, remoteip: params?.remoteip, success: false, errorCodes: [code] },
  });
  if (!params) return fail('bad-request', 400);
  if (!params.secret) return fail('missing-input-secret');
  if (params.secret !== keys.secretKey) return fail('invalid-input-secret');
  if (provider === 'hcaptcha' && params.sitekey && params.sitekey !== keys.siteKey) {
    return fail('sitekey-secret-mismatch');
  }
  if (!params.response) return fail('missing-input-response');
  if (input.refuseAll) return fail('invalid-input-response');
  const issued = params.response.length <= MAX_TOKEN_LENGTH ? tokens.get(params.response) : undefined;
  if (!issued || issued.siteKey !== keys.siteKey) return fail('invalid-input-response');
  const spent = issued.redeemed || now - issued.issuedAt > TOKEN_LIFETIME_MS[provider];
  if (spent)
    return fail(provider === 'turnstile' ? 'timeout-or-duplicate' : 'invalid-or-already-seen-response');
  issued.redeemed = true;
  const challengeTs = new Date(issued.issuedAt).toISOString();
  const body =
    provider === 'turnstile'
      ? {
          success: true,
          'error-codes': [],
          challenge_ts: challengeTs,
          hostname: issued.hostname,
          action: '',
          cdata: '',
          metadata: { interactive: true },
          messages: [],
        }
      : { success: true, challenge_ts: challengeTs, hostname: issued.hostname, credit: false };
  return {
    status: 200,
    body,
    verification: { provider, remoteip: params.remoteip, success: true, errorCodes: [] },
  };
}

interface Params {
  secret?: string | undefined;
  response?: string | undefined;
  remoteip?: string | undefined;
  sitekey?: string | undefined;
}

function parseParams(provider: ChallengeProvider, contentType: string, body: string): Params | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(body);
    const read = (name: string) => form.get(name) ?? undefined;
    return {
      secret: read('secret'),
      response: read('response'),
      remoteip: read('remoteip'),
      sitekey: read('sitekey'),
    };
  }
  // Turnstile also accepts JSON; hCaptcha documents only the form encoding.
  if (provider === 'turnstile' && type === 'application/json') {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const read = (name: string) =>
        typeof parsed[name] === 'string' ? (parsed[name] as string) : undefined;
      return { secret: read('secret'), response: read('response'), remoteip: read('remoteip') };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
