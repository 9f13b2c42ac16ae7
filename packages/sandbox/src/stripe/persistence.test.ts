import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Stripe from 'stripe';
import type { StripeSandbox } from '../index.js';
import { CARDS, createCard, startSandbox, stripeFor } from './sandbox-harness.test.js';

describe('Stripe sandbox: a state file keeps its objects across restarts', () => {
  let dir: string;
  let stateFile: string;
  let sandbox: StripeSandbox | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-state-'));
    stateFile = path.join(dir, 'stripe.json');
  });
  afterEach(async () => {
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves after a restart what it made before: payments, refunds, customers, replays, accounts', async () => {
    sandbox = await startSandbox({ stateFile });
    let stripe = stripeFor(sandbox);
    const customer = await stripe.customers.create({ email: 'kept@example.com' });
    const gone = await stripe.customers.create({ email: 'gone@example.com' });
    await stripe.customers.del(gone.id);
    const account = await stripe.accounts.create({ type: 'standard' });
    const card = await createCard(stripe, CARDS.visa);
    const create = () =>
      stripe.paymentIntents.create(
        { amount: 4900, currency: 'usd', customer: customer.id, payment_method: card.id, confirm: true },
        { idempotencyKey: 'kept-key' },
      );
    const intent = await create();
    const platform = await stripe.accounts.retrieveCurrent();
    const events = sandbox.events().length;
    await sandbox.close();

    sandbox = await startSandbox({ stateFile, port: 0 });
    stripe = stripeFor(sandbox);
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
    const replay = await create();
    assert.equal(replay.id, intent.id, 'the idempotency record survived');
    assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.charge, intent.latest_charge);
    const listed = await stripe.customers.list({ email: 'kept@example.com' });
    assert.deepEqual(
      listed.data.map((found) => found.id),
      [customer.id],
      'the email index is rebuilt',
    );
    const byCustomer = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      byCustomer.data.map((found) => found.id),
      [intent.id],
    );
    assert.deepEqual(
      { ...(await stripe.customers.retrieve(gone.id)) },
      {
        id: gone.id,
        object: 'customer',
        deleted: true,
      },
    );
    assert.equal((await stripe.accounts.retrieveCurrent()).id, platform.id);
    assert.equal((await stripe.accounts.retrieve(account.id)).id, account.id);
    assert.ok(sandbox.events().length > events, 'old events kept and the refund added its own');
  });

  it('writes a moment after a change, without waiting for close', async () => {
    sandbox = await startSandbox({ stateFile });
    await stripeFor(sandbox).customers.create({ email: 'soon@example.com' });
    const deadline = Date.now() + 5000;
    while (!(await stat(stateFile).catch(() => undefined)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(await readFile(stateFile, 'utf8'), /soon@example\.com/);
  });

  it('refuses a damaged state file with a message that says how to start afresh', async () => {
    await import('node:fs/promises').then((fs) => fs.writeFile(stateFile, '{not json'));
    await assert.rejects(startSandbox({ stateFile }), /not valid JSON: delete it to start afresh/);
  });

  it('keeps nothing on disk without a state file', async () => {
    sandbox = await startSandbox();
    const stripe: Stripe = stripeFor(sandbox);
    await stripe.customers.create({ email: 'memory@example.com' });
    await sandbox.close();
    sandbox = await startSandbox();
    assert.deepEqual(sandbox.customers(), []);
  });
});
