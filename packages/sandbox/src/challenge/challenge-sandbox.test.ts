import assert from 'node:assert/strict';
import { startChallengeSandbox, type ChallengeSandbox } from './challenge-sandbox.js';

describe('CAPTCHA sandbox: siteverify as Turnstile and hCaptcha document it', () => {
  let sandbox: ChallengeSandbox;
  let clock = Date.now();
  before(async () => {
    sandbox = await startChallengeSandbox({ now: () => clock });
  });
  after(() => sandbox.close());

  const verify = async (
    url: string,
    body: Record<string, string> | string,
    type = 'application/x-www-form-urlencoded',
  ) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' ? body : new URLSearchParams(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('Turnstile: a solved token passes once, with challenge_ts and hostname; a replay is timeout-or-duplicate', async () => {
    const token = sandbox.solve(sandbox.turnstile.siteKey, 'shop.example.com');
    const first = await verify(sandbox.turnstileVerifyUrl, {
      secret: sandbox.turnstile.secretKey,
      response: token,
      remoteip: '203.0.113.9',
    });
    assert.equal(first.status, 200);
    assert.equal(first.body.success, true);
    assert.deepEqual(first.body['error-codes'], []);
    assert.equal(first.body.hostname, 'shop.example.com');
    assert.ok(!Number.isNaN(Date.parse(String(first.body.challenge_ts))));
    const again = await verify(sandbox.turnstileVerifyUrl, {
      secret: sandbox.turnstile.secretKey,
      response: token,
    });
    assert.deepEqual(again.body, { success: false, 'error-codes': ['timeout-or-duplicate'], messages: [] });
    assert.equal(sandbox.verifications()[0]?.remoteip, '203.0.113.9');
  });

  it('Turnstile: accepts JSON too; expires tokens after 300 s', async () => {
    const token = sandbox.solve(sandbox.turnstile.siteKey);
    clock += 301_000;
    const late = await verify(
      sandbox.turnstileVerifyUrl,
      JSON.stringify({ secret: sandbox.turnstile.secretKey, response: token }),
      'application/json',
    );
    assert.deepEqual(late.body['error-codes'], ['timeout-or-duplicate']);
    const fresh = sandbox.solve(sandbox.turnstile.siteKey);
    const json = await verify(
      sandbox.turnstileVerifyUrl,
      JSON.stringify({ secret: sandbox.turnstile.secretKey, response: fresh }),
      'application/json',
    );
    assert.equal(json.body.success, true);
  });

  it('refuses missing and wrong secrets, missing, forged, oversized and foreign tokens', async () => {
    const url = sandbox.turnstileVerifyUrl;
    const secret = sandbox.turnstile.secretKey;
    const codes = async (body: Record<string, string>) => (await verify(url, body)).body['error-codes'];
    assert.deepEqual(await codes({ response: 'x' }), ['missing-input-secret']);
    assert.deepEqual(await codes({ secret: 'wrong', response: 'x' }), ['invalid-input-secret']);
    assert.deepEqual(await codes({ secret }), ['missing-input-response']);
    assert.deepEqual(await codes({ secret, response: 'forged' }), ['invalid-input-response']);
    assert.deepEqual(await codes({ secret, response: 'x'.repeat(4096) }), ['invalid-input-response']);
    const hcaptchaToken = sandbox.solve(sandbox.hcaptcha.siteKey);
    assert.deepEqual(await codes({ secret, response: hcaptchaToken }), ['invalid-input-response']);
    const broken = await verify(url, '{"secret":', 'application/json');
    assert.equal(broken.status, 400);
    assert.deepEqual(broken.body['error-codes'], ['bad-request']);
  });

  it('hCaptcha: form bodies only, sitekey checked against the secret, a replay already seen', async () => {
    const url = sandbox.hcaptchaVerifyUrl;
    const { siteKey, secretKey } = sandbox.hcaptcha;
    const token = sandbox.solve(siteKey);
    const mismatch = await verify(url, { secret: secretKey, response: token, sitekey: crypto.randomUUID() });
    assert.deepEqual(mismatch.body['error-codes'], ['sitekey-secret-mismatch']);
    const ok = await verify(url, { secret: secretKey, response: token, sitekey: siteKey });
    assert.equal(ok.body.success, true);
    assert.equal(ok.body.credit, false);
    const replay = await verify(url, { secret: secretKey, response: token });
    assert.deepEqual(replay.body['error-codes'], ['invalid-or-already-seen-response']);
    const json = await verify(
      url,
      JSON.stringify({ secret: secretKey, response: token }),
      'application/json',
    );
    assert.equal(json.status, 400);
  });

  it('with the verdict set to fail, refuses every token, a freshly solved one included', async () => {
    sandbox.setVerdict('fail');
    try {
      const refused = await verify(sandbox.turnstileVerifyUrl, {
        secret: sandbox.turnstile.secretKey,
        response: sandbox.solve(sandbox.turnstile.siteKey),
      });
      assert.equal(refused.body.success, false);
      assert.deepEqual(refused.body['error-codes'], ['invalid-input-response']);
    } finally {
      sandbox.setVerdict('as-solved');
    }
    const passed = await verify(sandbox.turnstileVerifyUrl, {
      secret: sandbox.turnstile.secretKey,
      response: sandbox.solve(sandbox.turnstile.siteKey),
    });
    assert.equal(passed.body.success, true);
  });

  it("serves the widget scripts at the providers' paths, and answers 503 during an outage", async () => {
    for (const path of ['/turnstile/v0/api.js', '/1/api.js']) {
      const script = await fetch(`${sandbox.url}${path}`);
      assert.equal(script.status, 200);
      assert.match(await script.text(), /getResponse/);
    }
    sandbox.setOutage('down');
    try {
      const response = await fetch(sandbox.turnstileVerifyUrl, { method: 'POST' });
      assert.equal(response.status, 503);
    } finally {
      sandbox.setOutage('none');
    }
  });
});
