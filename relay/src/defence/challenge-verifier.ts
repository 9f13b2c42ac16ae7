import type { ChallengeConfig } from './card-testing-config.js';

/** What siteverify answered, reduced to what the relay acts on. */
export interface ChallengeVerdict {
  success: boolean;
  errorCodes: string[];
}

/** Asks the CAPTCHA provider whether a token is real; injected so tests point it at the sandbox. */
export type ChallengeVerifier = (token: string, remoteIp: string) => Promise<ChallengeVerdict>;

/**
 * Turnstile's and hCaptcha's siteverify both take `secret`, `response` and `remoteip` as an
 * application/x-www-form-urlencoded POST and answer `{"success", "error-codes"}` in JSON
 * (hCaptcha also takes `sitekey`, which makes it refuse tokens of another site). A verifier that
 * cannot reach the provider throws: the caller treats that as an outage, never as a pass.
 */
export function createChallengeVerifier(
  config: ChallengeConfig,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): ChallengeVerifier {
  return async (token, remoteIp) => {
    const form = new URLSearchParams({ secret: config.secretKey, response: token, remoteip: remoteIp });
    if (config.provider === 'hcaptcha') form.set('sitekey', config.siteKey);
    const response = await fetchImpl(config.verifyUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const body = (await response.json().catch(() => null)) as {
      success?: unknown;
      'error-codes'?: unknown;
    } | null;
    if (!response.ok || typeof body?.success !== 'boolean') {
      throw new Error(`siteverify answered HTTP ${response.status}`);
    }
    const codes = Array.isArray(body['error-codes']) ? body['error-codes'].map(String) : [];
    return { success: body.success, errorCodes: codes };
  };
}
