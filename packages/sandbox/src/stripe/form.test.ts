import assert from 'node:assert/strict';
import qs from 'qs';
import { parseForm } from './form.js';

const QS_OPTIONS = {
  depth: 10,
  arrayLimit: 1000,
  parameterLimit: 5000,
  decoder: (text: string) => decodeURIComponent(text.replaceAll('+', ' ')),
};

/** What qs alone makes of `text` (the reference parseForm's fast path must match), or 'malformed'. */
function qsReference(text: string): unknown {
  try {
    return qs.parse(text, QS_OPTIONS);
  } catch {
    return 'malformed';
  }
}

function parsed(text: string): unknown {
  try {
    return parseForm(text);
  } catch {
    return 'malformed';
  }
}

/** Same values, same key order (JSON keeps it) and same kinds of object as qs. */
function assertSameAsQs(text: string): void {
  const expected = qsReference(text);
  const actual = parsed(text);
  assert.deepStrictEqual(actual, expected, text);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), text);
}

// A small deterministic generator, so a failure names a reproducible input.
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// Mostly names the fast path takes, with now and then one it must leave to qs.
const NAMES = ['amount', 'metadata', 'card', 'a', '_x', 'x.y', 'a-b', 'b_2', 'm%61il', 'a%5Bb%5D'];
const ODD_NAMES = ['0', '7a', 'toString', '__proto__', 'a+b', '', 'expand[]', 'a%ZZ'];
const CHILDREN = ['k', 'tenant_id', 'number', 'x.y', 'n-1', 'k%5D', 'k%61'];
const ODD_CHILDREN = ['0', '12', '', 'constructor', 'hasOwnProperty', '[z]', 'a b'];
const VALUES = ['1', '', 'a+b', 'caf%C3%A9', 'x=y', 'a]=b', '%5B', '%5d', 'pm_123', 'x%26y', '%2B1'];
const ODD_VALUES = ['%ZZ', '%E2%82', '%'];

describe('Stripe sandbox: form parsing', () => {
  it('parses what the stripe client sends', () => {
    const body =
      'amount=4900&currency=usd&customer=cus_1&confirm=true&automatic_payment_methods[enabled]=true' +
      '&automatic_payment_methods[allow_redirects]=never&metadata[tenant_id]=t%201&metadata[form]=a%2Bb';
    assert.deepStrictEqual(parseForm(body), {
      amount: '4900',
      currency: 'usd',
      customer: 'cus_1',
      confirm: 'true',
      automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
      metadata: { tenant_id: 't 1', form: 'a+b' },
    });
    assertSameAsQs(body);
    assertSameAsQs('type=card&card%5Bnumber%5D=4242424242424242&card%5Bexp_month%5D=12');
  });

  it('reads arrays, deep nesting, repeats and prototype names exactly as qs does', () => {
    for (const text of [
      '',
      'a',
      'a=',
      '=a',
      '&&a=1&',
      'a=1&a=2',
      'a=1&a[b]=2',
      'a[b]=1&a=2',
      'a[b]=1&a[b]=2',
      'expand[]=x&expand[]=y',
      'expand[0]=x&expand[1]=y',
      'a[b][c]=1',
      'a[b]c=1',
      'a[b=1',
      'toString=1',
      'a[toString]=1',
      '__proto__[x]=1',
      'b=1&0=2&a=3',
      'a=%ZZ',
      'a%ZZ=1',
      'a=1%5D=2',
      'metadata[a]=x]=y',
      '__proto__[polluted]=1&a[__proto__]=1&constructor[prototype]=1',
    ]) {
      assertSameAsQs(text);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  });

  it('agrees with qs on thousands of generated forms', () => {
    const next = pseudoRandom(20251028);
    const pick = <T>(common: readonly T[], odd: readonly T[]): T => {
      const list = next() < 0.08 ? odd : common;
      return list[Math.floor(next() * list.length)] as T;
    };
    for (let round = 0; round < 5000; round += 1) {
      const parts: string[] = [];
      const count = 1 + Math.floor(next() * 5);
      for (let i = 0; i < count; i += 1) {
        const shape = next();
        let key = pick(NAMES, ODD_NAMES);
        if (shape > 0.4) key += `[${pick(CHILDREN, ODD_CHILDREN)}]`;
        if (shape > 0.95) key += `[${pick(CHILDREN, ODD_CHILDREN)}]`;
        parts.push(next() < 0.05 ? key : `${key}=${pick(VALUES, ODD_VALUES)}`);
      }
      assertSameAsQs(parts.join('&'));
    }
  });
});
