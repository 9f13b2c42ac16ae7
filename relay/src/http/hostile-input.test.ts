import assert from 'node:assert/strict';
import { useRelayWithSandbox } from '../testing/use-relay.js';
import { createCardPaymentMethod, PAGE_ORIGIN, paymentRequest } from '../testing/payment-fixtures.js';

/** Every public endpoint, fed malformed, oversized and hostile input: always a 4xx with a code, never a 5xx. */
describe('hostile input on public endpoints', function () {
  this.timeout(120_000);
  const h = useRelayWithSandbox();
  let valid: ReturnType<typeof paymentRequest>;

  before(async () => {
    valid = paymentRequest(
      h.seeded.tenant.id,
      h.seeded.form.hubspotFormGuid,
      await createCardPaymentMethod(h.stripe.url, h.stripe.keys.publishableTest, '4242424242424242'),
    );
  });

  async function send(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
    const response = await fetch(`${h.relay.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN, ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: safeJson(text) };
  }

  const expectClientError = (
    result: { status: number; json: unknown; text: string },
    label: string,
    code?: string,
  ) => {
    assert.ok(
      result.status >= 400 && result.status < 500,
      `${label}: got ${result.status} ${result.text.slice(0, 200)}`,
    );
    const error = (result.json as { error?: { code?: string; message?: string } } | undefined)?.error;
    assert.equal(typeof error?.code, 'string', `${label}: stable code`);
    assert.equal(typeof error?.message, 'string', `${label}: message`);
    if (code) assert.equal(error?.code, code, label);
  };

  const hostileBodies = (): Array<[string, string, string?]> => [
    ['empty', '', 'invalid_json'],
    ['not json', 'card=4242424242424242', 'invalid_json'],
    ['truncated', '{"tenantId":', 'invalid_json'],
    ['array', '[]', 'invalid_request'],
    ['null', 'null', 'invalid_request'],
    ['number', '42', 'invalid_request'],
    ['string', '"hello"', 'invalid_request'],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'invalid_request'],
    [
      'prototype pollution',
      JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
      'invalid_request',
    ],
    [
      'sql in ids',
      JSON.stringify({ ...placeholder(), tenantId: "00000000-0000-0000-0000-000000000000' OR '1'='1" }),
      'invalid_request',
    ],
    [
      'script in names',
      JSON.stringify({
        ...placeholder(),
        contact: { email: 'a@b.co', firstName: '<img src=x onerror=alert(1)>', lastName: 'x' },
      }),
      'invalid_request',
    ],
    [
      'control characters',
      JSON.stringify({
        ...placeholder(),
        contact: { email: 'a@b.co', firstName: 'a\u0000b', lastName: 'x' },
      }),
      'invalid_request',
    ],
    ['huge number', JSON.stringify({ ...placeholder(), amount: 1e308 }), 'invalid_request'],
    ['negative amount', JSON.stringify({ ...placeholder(), amount: -100 }), 'invalid_request'],
    ['float amount', JSON.stringify({ ...placeholder(), amount: 10.5 }), 'invalid_request'],
    [
      'raw card number',
      JSON.stringify({ ...placeholder(), card: { number: '4242424242424242' } }),
      'invalid_request',
    ],
    ['wrong types', JSON.stringify({ ...placeholder(), contact: 'x', stripe: [] }), 'invalid_request'],
    ['long strings', JSON.stringify({ ...placeholder(), attemptId: 'a'.repeat(70_000) }), 'invalid_request'],
    ['invalid utf8', '\xff\xfe{"a":1}', 'invalid_json'],
  ];

  const placeholder = () => valid;

  for (const path of [
    '/v1/payments',
    `/v1/payments/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/confirm`,
  ]) {
    it(`answers every hostile body on ${path.replace(/\/[0-9a-f-]{36}\//, '/:id/')} with a 4xx and a code`, async () => {
      for (const [label, body, code] of hostileBodies()) {
        const result = await send(path, body);
        expectClientError(result, label, path === '/v1/payments' ? code : undefined);
      }
    });
  }

  it('answers a form id with a NUL or another control character with a coded 404, never a 500', async () => {
    // Found by the route fuzzer (fuzz-routes.test.ts): PostgreSQL refuses a NUL inside text.
    for (const formId of ['%00', 'abc%00def', '%0A', '%1F', '%7F']) {
      const response = await fetch(`${h.relay.url}/v1/forms/${h.seeded.tenant.id}/${formId}`, {
        headers: { origin: PAGE_ORIGIN },
      });
      assert.equal(response.status, 404, formId);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found', formId);
    }
  });

  it('refuses bodies over 100 KB with 413 before reading them whole', async () => {
    const big = JSON.stringify({ ...valid, pageUri: 'x'.repeat(101 * 1024) });
    expectClientError(await send('/v1/payments', big), 'oversized', 'payload_too_large');
    const result = await send('/v1/webhooks/stripe', Buffer.alloc(600 * 1024, 'a'), {
      'stripe-signature': 't=1,v1=x',
    });
    expectClientError(result, 'oversized webhook', 'payload_too_large');
  });

  it('refuses other content types with 415', async () => {
    const result = await send('/v1/payments', JSON.stringify(valid), { 'content-type': 'text/plain' });
    expectClientError(result, 'text/plain', 'unsupported_media_type');
    const form = await send('/v1/payments', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expectClientError(form, 'form-encoded', 'unsupported_media_type');
  });

  it('survives 300 random mutations of a valid request without a 5xx or a charge', async () => {
    const intentsBefore = h.stripe.paymentIntents().length;
    let accepted = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = [
      null,
      true,
      0,
      -1,
      1e20,
      '',
      ' ',
      'x'.repeat(300),
      [],
      {},
      '../../etc/passwd',
      '${jndi:ldap://x}',
      '\u202e',
    ];
    for (let index = 0; index < 300; index += 1) {
      const mutated = structuredClone(valid) as Record<string, unknown>;
      const keys = [
        'tenantId',
        'formId',
        'attemptId',
        'contact',
        'provider',
        'stripe',
        'amount',
        'hutk',
        'pageUri',
        'extra',
      ];
      const key = keys[Math.floor(random() * keys.length)] as string;
      mutated[key] = values[Math.floor(random() * values.length)];
      mutated.attemptId = key === 'attemptId' ? mutated.attemptId : `fuzz_${index}_0123456789abcdef`;
      const result = await send('/v1/payments', JSON.stringify(mutated));
      assert.ok(
        result.status < 500,
        `mutation ${key}=${JSON.stringify(mutated[key])}: ${result.status} ${result.text}`,
      );
      if (result.status === 200) {
        accepted += 1;
        // Only fields that never affect the charge may take odd values and still pay.
        assert.ok(['hutk', 'pageUri', 'attemptId'].includes(key), `accepted a mutation of ${key}`);
      }
    }
    assert.equal(
      h.stripe.paymentIntents().length - intentsBefore,
      accepted,
      'a charge only for accepted requests',
    );
  });

  it('answers unknown routes and methods with coded 404/405 bodies', async () => {
    const missing = await fetch(`${h.relay.url}/v1/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
    const wrongMethod = await fetch(`${h.relay.url}/v1/payments`, { method: 'PUT' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(
      ((await wrongMethod.json()) as { error: { code: string } }).error.code,
      'method_not_allowed',
    );
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
