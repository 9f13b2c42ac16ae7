import fc from 'fast-check';

/** Ids of real rows, so hostile requests also reach the code behind the id lookups. */
export interface FuzzIds {
  tenantId: string;
  formId: string;
  transactionId: string;
  attemptId: string;
}

/** One request the fuzzer sends. */
export interface FuzzRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string | Uint8Array | undefined;
  auth: 'none' | 'api_key' | 'session' | 'garbage';
}

/** Names our bodies use, plus the keys that pollute prototypes when a parser merges them. */
const FIELD_NAMES = [
  'tenantId',
  'formId',
  'attemptId',
  'transactionId',
  'amount',
  'currency',
  'contact',
  'email',
  'firstName',
  'lastName',
  'provider',
  'stripe',
  'paymentMethodId',
  'confirmationTokenId',
  'hutk',
  'pageUri',
  'password',
  'businessName',
  'token',
  'totpCode',
  'recoveryCode',
  'code',
  'livemode',
  'scopes',
  'name',
  'reason',
  'currentPassword',
  'newPassword',
  'orderId',
  '__proto__',
  'constructor',
  'prototype',
];

const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), Number.MIN_VALUE, -0, 1e-7, 4.5);
const hostileStrings = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' OR '1'='1",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '\u202e',
    '𝕏'.repeat(300),
    'a'.repeat(70_000),
    'NaN',
    'Infinity',
    '1e308',
    '-1',
    'opp_live_' + 'x'.repeat(40),
    '00000000-0000-0000-0000-000000000000',
  ),
);

function hostileValue(ids: FuzzIds): fc.Arbitrary<unknown> {
  const real = fc.constantFrom<unknown>(
    ids.tenantId,
    ids.formId,
    ids.transactionId,
    ids.attemptId,
    'USD',
    'stripe',
    'paypal',
    4900,
  );
  const leaf = fc.oneof(
    real,
    hostileStrings,
    hugeNumbers,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.double(),
  );
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), tie('value'), {
        maxKeys: 6,
      }),
    ),
  })).value;
}

/** A body: a hostile object, any JSON, JSON cut short, raw bytes, or nothing. */
function hostileBody(ids: FuzzIds): fc.Arbitrary<string | Uint8Array | undefined> {
  const object = fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue(ids), { maxKeys: 10 });
  // JSON.stringify drops a __proto__ key set by assignment; written out by hand it reaches the parser.
  const withProto = object.map((value) =>
    `{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(value).slice(1)}`.replace(
      /,}$/,
      '}',
    ),
  );
  return fc.oneof(
    { arbitrary: object.map((value) => JSON.stringify(value)), weight: 5 },
    { arbitrary: withProto, weight: 2 },
    { arbitrary: fc.json(), weight: 2 },
    {
      arbitrary: fc.tuple(object, fc.nat()).map(([value, cut]) => {
        const text = JSON.stringify(value);
        return text.slice(0, cut % Math.max(1, text.length));
      }),
      weight: 2,
    },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  '',
];

function pathSegment(ids: FuzzIds): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(ids.tenantId, ids.formId, ids.transactionId, ids.attemptId),
    fc.uuid(),
    hostileStrings.map((text) => encodeURIComponent(text.slice(0, 3000))),
    fc.constantFrom('%', '%zz', '..', '%2e%2e', '__proto__', 'constructor', '%00', 'a'.repeat(5000)),
  );
}

/** A request to one of `routes` (method and OpenAPI path), with hostile parameters, body and headers. */
export function hostileRequest(
  routes: ReadonlyArray<{ method: string; path: string }>,
  ids: FuzzIds,
): fc.Arbitrary<FuzzRequest> {
  const query = fc.option(
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('limit', 'cursor', 'since', 'until', 'status', '__proto__[x]', 'a[]'),
          fc.string({ maxLength: 6 }),
        ),
        hostileStrings,
      ),
      { maxLength: 4 },
    ),
    { nil: undefined },
  );
  return fc
    .record({
      route: fc.constantFrom(...routes),
      // One request in ten uses a method the route does not take.
      otherMethod: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 9 },
        { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), weight: 1 },
      ),
      segments: fc.array(pathSegment(ids), { minLength: 3, maxLength: 3 }),
      query,
      // Mostly JSON, so bodies get past the parser to the validation and the handlers behind it.
      contentType: fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 6 },
        { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 3 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      body: hostileBody(ids),
      auth: fc.constantFrom('none', 'api_key', 'session', 'garbage'),
    })
    .map(({ route, otherMethod, segments, query: pairs, contentType, body, auth }) => {
      let index = 0;
      const filled = route.path.replace(/\{[^}]+\}/g, () => segments[index++] as string);
      const search = pairs
        ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.slice(0, 2000))}`).join('&')}`
        : '';
      const method = otherMethod ?? route.method.toUpperCase();
      return {
        method,
        path: filled + search,
        contentType: contentType ?? (body === undefined ? undefined : 'application/json'),
        body: method === 'GET' ? undefined : body,
        auth,
      } satisfies FuzzRequest;
    });
}
