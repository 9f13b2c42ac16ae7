import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { settleAsyncPayments } from './async-payments.js';
import { buildEvent } from './events.js';
import { GroupIndex } from './group-index.js';
import { DEFAULT_API_VERSION, handleRequest } from './handle-request.js';
import { IdempotencyStore } from './idempotency.js';
import { readSandboxState, serializeSandbox, StateFileWriter } from './persistence.js';
import { publishEvent, type SandboxState } from './sandbox-state.js';
import { World, type Scope, type StripeObject } from './store.js';
import type { StripeSandbox, StripeSandboxOptions } from './types.js';
import { WebhookDispatcher } from './webhooks.js';

const KEYS = {
  secretTest: 'sk_test_onepagepaysandbox',
  publishableTest: 'pk_test_onepagepaysandbox',
  secretLive: 'sk_live_onepagepaysandbox',
  publishableLive: 'pk_live_onepagepaysandbox',
};

function selectScopes(world: World, account: string | undefined, livemode: boolean | undefined): Scope[] {
  const modes = livemode === undefined ? [false, true] : [livemode];
  return modes.map((mode) => (account === undefined ? { livemode: mode } : { livemode: mode, account }));
}

function dumpWorld(state: SandboxState) {
  const ledgers = Object.fromEntries(
    state.world.allLedgers().map(([name, ledger]) => [
      name,
      Object.fromEntries(
        Object.entries(ledger)
          // Indexes only repeat what the ledger holds, in another order.
          .filter(([, value]) => !(value instanceof GroupIndex))
          .map(([field, value]) => [
            field,
            value instanceof Map || value instanceof Set ? [...value] : value,
          ]),
      ),
    ]),
  );
  return {
    ledgers,
    accounts: state.world.allAccounts(),
    idempotency: state.idempotency.dump(),
    requestLog: state.log,
    webhookAttempts: state.webhooks.attempts,
  };
}

/** Starts a local fake of the Stripe API that the real `stripe` package can talk to. */
export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const baseClock = options.clock ?? Date.now;
  // advanceClock() moves the sandbox's time forward (idempotency pruning, `created`, signatures)
  // without a test waiting for it.
  let clockOffsetMs = 0;
  const clock = () => baseClock() + clockOffsetMs;
  const restored = options.stateFile === undefined ? undefined : await readSandboxState(options.stateFile);
  const state: SandboxState = {
    world: restored?.world ?? new World(),
    idempotency: restored?.idempotency ?? new IdempotencyStore(),
    webhooks: new WebhookDispatcher(
      options.webhook ?? null,
      options.webhookRetryDelaysMs ?? [100, 500, 2000],
      () => Math.floor(clock() / 1000),
    ),
    clock,
    accountApiVersion: options.accountApiVersion ?? DEFAULT_API_VERSION,
    outage: { mode: 'none', slowMs: 0 },
    rateLimit: { perSecond: null, recent: [] },
    log: [],
    baseUrl: '',
    browserDir: options.browserDir,
  };
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : new StateFileWriter(options.stateFile, () => serializeSandbox(state.world, state.idempotency));
  const server = createServer((request, response) => {
    handleRequest(state, request, response)
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      })
      // Only GETs change nothing; the write comes later, batched, off the request's path.
      .finally(() => request.method !== 'GET' && stateFile?.schedule());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  state.baseUrl = url;

  const collect = <T>(pick: (scope: Scope) => T[], account?: string, livemode?: boolean): T[] =>
    selectScopes(state.world, account, livemode).flatMap((scope) => structuredClone(pick(scope)));

  return {
    url,
    host,
    port: address.port,
    keys: { ...KEYS },
    setWebhook: (target) => state.webhooks.setTarget(target),
    setOutage(mode, slowMs = 1000) {
      state.outage = { mode, slowMs };
    },
    advanceClock(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError('advanceClock takes a non-negative number of ms');
      clockOffsetMs += ms;
    },
    now: clock,
    settleAsyncPayments: () => settleAsyncPayments(state),
    setRateLimit(perSecond) {
      state.rateLimit = { perSecond, recent: [] };
    },
    paymentIntents: (account, livemode) =>
      collect((scope) => [...state.world.ledger(scope).paymentIntents.values()], account, livemode),
    customers: (account, livemode) =>
      collect((scope) => [...state.world.ledger(scope).customers.values()], account, livemode),
    events: (account, livemode) => collect((scope) => state.world.ledger(scope).events, account, livemode),
    requestLog: () => structuredClone(state.log),
    webhookAttempts: () => structuredClone(state.webhooks.attempts),
    async emitEvent(type, object, account) {
      const livemode = (object as { livemode?: unknown } | null)?.livemode === true;
      const scope: Scope = account === undefined ? { livemode } : { livemode, account };
      const event: StripeObject = buildEvent(
        {
          scope,
          apiVersion: state.accountApiVersion,
          created: Math.floor(clock() / 1000),
          requestId: null,
          idempotencyKey: undefined,
          pendingWebhooks: state.webhooks.hasTarget() ? 1 : 0,
        },
        type,
        // The caller's object stays theirs to change: the event keeps a deep copy.
        structuredClone(object),
      );
      stateFile?.schedule();
      await publishEvent(state, scope, event);
    },
    settleWebhooks: () => state.webhooks.settle(),
    dumpState: () => structuredClone(dumpWorld(state)),
    async close() {
      await state.webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stateFile?.flush();
    },
  };
}
