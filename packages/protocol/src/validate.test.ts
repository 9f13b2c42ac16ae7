import assert from 'node:assert/strict';
import { CreatePaymentRequest } from './schemas/payments.js';
import { validate } from './validate.js';
import { currencyExponent, formatMoney, toMajorUnitString } from './money.js';
import { buildOpenApiDocument, type RouteDoc } from './openapi.js';
import { isHubSpotEmail } from './hubspot-email.js';
import { isDeliverableHubSpotEmail } from './iana-email.js';

const valid = {
  tenantId: '0b9d7c2e-4a51-4d2b-9f7e-3f1c2d4e5a6b',
  formId: '5f1e8c1a-1b2c-4d3e-8f9a-0a1b2c3d4e5f',
  attemptId: 'attempt_0123456789abcdef',
  contact: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  provider: 'stripe',
  stripe: { paymentMethodId: 'pm_123abc' },
};

describe('protocol: validate', () => {
  it('accepts a well-formed payment request', () => {
    assert.deepEqual(validate(CreatePaymentRequest, valid), { ok: true, value: valid });
  });

  it('rejects unknown properties, naming them', () => {
    const outcome = validate(CreatePaymentRequest, { ...valid, price: 1 });
    assert.equal(outcome.ok, false);
    assert.match(JSON.stringify(outcome), /unknown property 'price'/);
  });

  it('rejects hostile values: markup in names, bad ids, fractional amounts', () => {
    for (const bad of [
      { ...valid, contact: { ...valid.contact, firstName: '<script>' } },
      { ...valid, tenantId: "' OR 1=1 --" },
      { ...valid, amount: 10.5 },
      { ...valid, stripe: { paymentMethodId: 'tok_visa' } },
      { ...valid, attemptId: 'short' },
      { ...valid, contact: { ...valid.contact, email: 'not-an-email' } },
    ]) {
      assert.equal(validate(CreatePaymentRequest, bad).ok, false, JSON.stringify(bad));
    }
  });
});

describe('protocol: money', () => {
  it('knows zero- and three-decimal currencies', () => {
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('krw'), 0);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(currencyExponent('USD'), 2);
  });

  it('renders minor units without floating point', () => {
    assert.equal(toMajorUnitString(1999, 'USD'), '19.99');
    assert.equal(toMajorUnitString(5, 'EUR'), '0.05');
    assert.equal(toMajorUnitString(500, 'JPY'), '500');
    assert.equal(toMajorUnitString(1234, 'KWD'), '1.234');
    assert.equal(toMajorUnitString(-250, 'USD'), '-2.50');
    assert.equal(formatMoney(1999, 'USD', 'en-US'), '$19.99');
    assert.equal(formatMoney(500, 'JPY', 'en-US'), '¥500');
    assert.throws(() => toMajorUnitString(1.5, 'USD'), RangeError);
  });
});

describe('protocol: openapi', () => {
  it('turns Koa paths and schemas into an OpenAPI 3.1 operation', () => {
    const document = buildOpenApiDocument({ title: 't', version: '1' }, [
      {
        method: 'post',
        path: '/v1/payments/:id/confirm',
        operationId: 'confirmPayment',
        summary: 's',
        tags: ['payments'],
        body: CreatePaymentRequest,
        responses: { 200: { description: 'ok' }, 400: { description: 'bad' } },
      },
    ]);
    assert.equal(document.openapi, '3.1.0');
    const operation = document.paths['/v1/payments/{id}/confirm']?.post as Record<string, unknown>;
    assert.ok(operation.requestBody);
    assert.match(JSON.stringify(operation.responses), /#\/components\/schemas\/ErrorBody/);
    assert.equal(operation.operationId, 'confirmPayment');
    assert.deepEqual(operation.security, [], 'a route without auth is public, and says so');
    assert.deepEqual(document.servers, [{ url: '/', description: 'The relay that serves this document' }]);
  });

  it('refuses two operations with one operationId', () => {
    const route: RouteDoc = {
      method: 'get',
      path: '/a',
      operationId: 'getA',
      summary: 's',
      tags: [],
      responses: {},
    };
    assert.throws(
      () => buildOpenApiDocument({ title: 't', version: '1' }, [route, { ...route, path: '/b' }]),
      /Duplicate operationId getA/,
    );
  });
});

describe('protocol: HubSpot email rule', () => {
  it('takes what HubSpot takes and refuses what its forms refuse', () => {
    for (const good of [
      'ada@example.com',
      'a.b+tag@mail.example.co.uk',
      'user@xn--80ak6aa92e.com',
      'x@d.museum',
    ]) {
      assert.equal(isHubSpotEmail(good), true, good);
    }
    for (const bad of [
      'ada@example.c',
      'ada@example',
      '"ada lovelace"@example.com',
      'ada@@example.com',
      'ada.@example.com',
      'ada@-example.com',
      'ada@example.c0m',
      `${'a'.repeat(65)}@example.com`,
    ]) {
      assert.equal(isHubSpotEmail(bad), false, bad);
    }
  });

  it('on the relay, also refuses a top-level domain that IANA does not list, as HubSpot does', () => {
    for (const good of [
      'ada@example.com',
      'x@d.museum',
      'ada@пример.рф',
      'ada@example.xn--p1ai',
      'A@B.CO.UK',
    ]) {
      assert.equal(isDeliverableHubSpotEmail(good), true, good);
    }
    for (const bad of ['ada@example.comm', 'ada@example.test', 'ada@example.xn--zzzz', 'ada@example.c']) {
      assert.equal(isDeliverableHubSpotEmail(bad), false, bad);
    }
  });

  it('is part of the payment request: a charge is never made for an email HubSpot refuses', () => {
    assert.equal(validate(CreatePaymentRequest, valid).ok, true);
    for (const email of ['ada@example.c', 'ada@example.comm']) {
      const outcome = validate(CreatePaymentRequest, { ...valid, contact: { ...valid.contact, email } });
      assert.equal(outcome.ok, false, email);
    }
  });
});
