import assert from 'node:assert/strict';
import {
  startMailSandbox,
  startStripeSandbox,
  type MailSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { startTestRelay, type TestRelay } from '../testing/test-relay.js';
import { GOOD_PASSWORD, sendJson, verifySignupToken } from '../testing/merchant-fixtures.js';

describe('signup mail over SMTP (MERCHANT_SMTP_URL)', function () {
  this.timeout(120_000);
  let stripe: StripeSandbox;
  let mail: MailSandbox;
  let relay: TestRelay;

  before(async () => {
    stripe = await startStripeSandbox();
    mail = await startMailSandbox();
    const smtpUrl = new URL(mail.url);
    smtpUrl.username = 'relay';
    smtpUrl.password = 'smtp-password';
    relay = await startTestRelay(stripe, {
      captureMail: false,
      env: {
        MERCHANT_SMTP_URL: smtpUrl.href,
        MERCHANT_MAIL_FROM: 'OnePagePay <accounts@pay.example.com>',
        MERCHANT_SIGNUP_VERIFY_URL: 'https://dashboard.example.com/verify-email',
      },
    });
  });
  after(async () => {
    await relay?.close();
    await mail?.close();
    await stripe?.close();
  });

  it('mails the verification link through the SMTP server, and its token opens the account', async () => {
    const address = `smtp-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const requested = await sendJson(relay.url, 'POST', '/v1/merchant/signup', {
      body: { email: address, password: GOOD_PASSWORD, businessName: 'Mailed Ltd' },
      headers: { origin: relay.url },
    });
    assert.equal(requested.status, 202, JSON.stringify(requested.body));
    const [message] = mail.messages;
    assert.ok(message, 'the SMTP server received the mail');
    assert.deepEqual(message.to, [address]);
    assert.equal(message.from, 'accounts@pay.example.com');
    assert.equal(message.subject, 'Confirm your email for OnePagePay');
    const link = /https:\/\/dashboard\.example\.com\/verify-email#token=([A-Za-z0-9_-]{43})/.exec(
      message.text,
    );
    assert.ok(link, message.text);
    const verified = await verifySignupToken(relay.url, link[1]!);
    assert.equal(verified.status, 201, JSON.stringify(verified.body));
    assert.equal(verified.body.user.email, address);
    assert.ok(
      relay.logLines.every((line) => !line.includes(link[1]!)),
      'the token is mailed, never logged',
    );
  });
});
