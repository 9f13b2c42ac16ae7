import assert from 'node:assert/strict';
import type { ErrorEvent } from '@sentry/node';
import { scrubBreadcrumb, scrubEvent, scrubText } from './sentry-scrub.js';

const TENANT_ID = '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f';

describe('Sentry scrubbing', () => {
  it('masks secrets and personal data in free text', () => {
    const cases: Array<[string, string]> = [
      ['payer ada.lovelace+shop@example.co.uk failed', 'payer [email] failed'],
      ['key sk_live_51HxYzAbCdEfGh refused', 'key [stripe-key] refused'],
      ['restricted rk_test_51HxYzAbCdEfGh', 'restricted [stripe-key]'],
      ['secret whsec_a1B2c3D4e5F6g7H8', 'secret [stripe-key]'],
      ['pi_3Nabc123_secret_XyZ987 leaked', '[client-secret] leaked'],
      ['api key opp_live_k3y_0123456789', 'api key [api-key]'],
      ['paypal A21AAFh0token-value_0123456789 expired', 'paypal [paypal-token] expired'],
      ['hubspot pat-na1-11111111-2222-3333-4444-555555555555', 'hubspot [hubspot-token]'],
      ['refresh na1-aaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'refresh [hubspot-token]'],
      ['Authorization: Bearer abc.def.ghi', 'Authorization: [redacted]'],
      ['sent Bearer abc.def.ghi', 'sent Bearer [redacted]'],
      ['{"cookie":"opp_session=s3cret"}', '{"cookie":[redacted]}'],
      ['Stripe-Signature: t=1,v1=abc', 'Stripe-Signature: [redacted]'],
      ['card 4242 4242 4242 4242 declined', 'card [digits] declined'],
      ['card 4000-0027-6000-3184', 'card [digits]'],
      ['from 203.0.113.77 and 2001:db8::8a2e:370:7334', 'from [ip] and [ip]'],
      ['from fe80:0:0:0:202:b3ff:fe1e:8329', 'from [ip]'],
      [
        'GET https://api.example.com/oauth/callback?code=abc&state=xyz failed',
        'GET https://api.example.com/oauth/callback?[query] failed',
      ],
      ['path /verify?token=abc123', 'path /verify?token=[redacted]'],
      ['token EAAGm0PX4ZCpsBAKZB7c2ZAgZBbZCZBcWZBY1ZAOZCDZAnZBZCzEZD9 seen', 'token [token] seen'],
    ];
    for (const [input, expected] of cases) assert.equal(scrubText(input), expected, input);
  });

  it('keeps what makes an error useful: ids, routes, database messages', () => {
    for (const text of [
      `tenant ${TENANT_ID} form 7d3b`,
      'relation "contacts" does not exist',
      'POST /v1/payments/:id/confirm',
      "Cannot read properties of undefined (reading 'id')",
      'timeout of 20000ms exceeded',
    ]) {
      assert.equal(scrubText(text), text);
    }
  });

  it('rebuilds an event from its allowlist: no request, user, extras, locals, source or unknown tags', () => {
    const event = {
      type: undefined,
      event_id: 'abc123',
      timestamp: 1,
      platform: 'node',
      level: 'error',
      environment: 'production',
      release: 'onepagepay-relay@0.1.0',
      server_name: 'relay-host-10-0-0-5',
      transaction: 'POST /v1/payments',
      message: 'payer ada@example.com',
      tags: { request_id: 'req-1', tenant_id: TENANT_ID, payer: 'ada@example.com' },
      user: { email: 'ada@example.com', ip_address: '198.51.100.4', username: 'Ada Lovelace' },
      request: {
        url: 'https://relay.example.com/v1/payments?token=abc',
        query_string: 'token=abc',
        cookies: { opp_session: 'c00kie' },
        headers: { authorization: 'Bearer xyz', 'x-forwarded-for': '198.51.100.4' },
        data: { contact: { firstName: 'Ada', lastName: 'Lovelace' } },
        env: { REMOTE_ADDR: '198.51.100.4' },
      },
      extra: { body: 'Ada Lovelace' },
      contexts: {
        runtime: { name: 'node', version: 'v22.12.0' },
        device: { hostname: 'relay-host' },
        culture: { timezone: 'Europe/London' },
        response: { status_code: 500 },
      },
      breadcrumbs: [
        {
          timestamp: 1,
          category: 'http',
          message: 'POST https://api.stripe.com/v1/customers?email=ada@example.com',
          data: { body: 'name=Ada+Lovelace' },
        },
      ],
      exception: {
        values: [
          {
            type: 'Error',
            value: 'contact ada@example.com refused',
            mechanism: { type: 'generic', handled: true, data: { payer: 'Ada Lovelace' } },
            stacktrace: {
              frames: [
                {
                  filename: '/app/dist/payments/contacts.js',
                  function: 'upsertContact',
                  lineno: 10,
                  colno: 3,
                  in_app: true,
                  vars: { name: 'Ada Lovelace' },
                  pre_context: ['const name = "Ada Lovelace";'],
                  context_line: 'throw new Error(name)',
                  post_context: [],
                },
              ],
            },
          },
        ],
      },
    } as unknown as ErrorEvent;

    const scrubbed = scrubEvent(event);
    const sent = JSON.stringify(scrubbed);
    for (const leaked of [
      'ada@',
      'Ada',
      'Lovelace',
      '198.51.100.4',
      'c00kie',
      'xyz',
      'token=abc',
      '10-0-0-5',
    ]) {
      assert.ok(!sent.includes(leaked), `${leaked} left in ${sent}`);
    }
    assert.deepEqual(scrubbed.tags, { request_id: 'req-1', tenant_id: TENANT_ID });
    assert.equal(scrubbed.transaction, 'POST /v1/payments');
    assert.equal(scrubbed.release, 'onepagepay-relay@0.1.0');
    assert.deepEqual(scrubbed.contexts, { runtime: { name: 'node', version: 'v22.12.0' } });
    assert.deepEqual(scrubbed.exception?.values?.[0], {
      type: 'Error',
      value: 'contact [email] refused',
      mechanism: { type: 'generic', handled: true },
      stacktrace: {
        frames: [
          {
            filename: '/app/dist/payments/contacts.js',
            function: 'upsertContact',
            lineno: 10,
            colno: 3,
            in_app: true,
          },
        ],
      },
    });
    assert.deepEqual(scrubbed.breadcrumbs, [
      { timestamp: 1, category: 'http', message: 'POST https://api.stripe.com/v1/customers?[query]' },
    ]);
  });

  it('drops breadcrumb data and masks the message', () => {
    assert.deepEqual(
      scrubBreadcrumb({
        category: 'console',
        level: 'info',
        message: 'paid by ada@example.com',
        data: { ip: '1.2.3.4' },
      }),
      { category: 'console', level: 'info', message: 'paid by [email]' },
    );
  });
});
