import assert from 'node:assert/strict';
import { startChallengeSandbox, type ChallengeSandbox } from '@onepagepay/sandbox';
import { createChallengeVerifier } from './challenge-verifier.js';

describe('challenge verifier against the siteverify sandbox', () => {
  let sandbox: ChallengeSandbox;
  before(async () => {
    sandbox = await startChallengeSandbox();
  });
  after(() => sandbox.close());

  it('hCaptcha: sends the site key, so a token of another site is refused', async () => {
    const verify = createChallengeVerifier({
      provider: 'hcaptcha',
      siteKey: sandbox.hcaptcha.siteKey,
      secretKey: sandbox.hcaptcha.secretKey,
      verifyUrl: new URL(sandbox.hcaptchaVerifyUrl),
      timeoutMs: 2_000,
    });
    assert.deepEqual(await verify(sandbox.solve(sandbox.hcaptcha.siteKey), '203.0.113.7'), {
      success: true,
      errorCodes: [],
    });
    const foreign = await verify(sandbox.solve(sandbox.turnstile.siteKey), '203.0.113.7');
    assert.equal(foreign.success, false);
    assert.equal(sandbox.verifications().at(-1)?.remoteip, '203.0.113.7');
  });

  it('throws (never passes) when siteverify answers no JSON verdict', async () => {
    const verify = createChallengeVerifier({
      provider: 'turnstile',
      siteKey: sandbox.turnstile.siteKey,
      secretKey: sandbox.turnstile.secretKey,
      verifyUrl: new URL(`${sandbox.url}/not-siteverify`),
      timeoutMs: 2_000,
    });
    await assert.rejects(verify('token', '203.0.113.7'), /HTTP 404/);
  });
});
