import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { failureOf, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: the created filter of the PaymentIntents list', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let now = Date.UTC(2026, 0, 1);

  before(async () => {
    sandbox = await startSandbox({ clock: () => now });
    stripe = stripeFor(sandbox);
  });
  after(() => sandbox.close());

  it('filters by a range or an exact time, newest first, and refuses unknown bounds', async () => {
    const ids: string[] = [];
    for (let hour = 0; hour < 4; hour += 1) {
      now = Date.UTC(2026, 0, 1, hour);
      ids.push((await stripe.paymentIntents.create({ amount: 500, currency: 'usd' })).id);
    }
    const at = (hour: number) => Date.UTC(2026, 0, 1, hour) / 1000;
    const listed = async (created: Stripe.PaymentIntentListParams['created']) =>
      (await stripe.paymentIntents.list({ created, limit: 100 })).data.map((intent) => intent.id);
    assert.deepEqual(await listed({ gte: at(1) }), [ids[3], ids[2], ids[1]]);
    assert.deepEqual(await listed({ gt: at(1), lt: at(3) }), [ids[2]]);
    assert.deepEqual(await listed({ lte: at(1) }), [ids[1], ids[0]]);
    assert.deepEqual(await listed(at(2)), [ids[2]]);
    const pages = await stripe.paymentIntents.list({ created: { gte: at(1) }, limit: 2 }).autoPagingToArray({
      limit: 10,
    });
    assert.deepEqual(
      pages.map((intent) => intent.id),
      [ids[3], ids[2], ids[1]],
    );
    const refused = await failureOf(() =>
      stripe.paymentIntents.list({ created: { after: at(1) } as Stripe.RangeQueryParam }),
    );
    assert.equal(refused.code, 'parameter_unknown');
    const notInteger = await failureOf(() =>
      stripe.paymentIntents.list({ created: { gte: 'soon' as unknown as number } }),
    );
    assert.equal(notInteger.code, 'parameter_invalid_integer');
  });
});
