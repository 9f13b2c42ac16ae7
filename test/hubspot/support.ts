import { setImmediate as yieldToIo } from 'node:timers/promises';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import {
  startHubSpotSandbox,
  startStripeSandbox,
  type HubSpotCreateFormOptions as CreateFormOptions,
  type HubSpotSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { DEMO_FORM_FIELDS } from '../../relay/src/dev/connect-demo-hubspot.js';
import type { Database } from '../../relay/src/db/open-database.js';
import type { Transaction } from '../../relay/src/db/models/transaction.js';
import { sqlSessionOf } from '../../relay/src/db/sql-session.js';
import { inTenantTransaction } from '../../relay/src/db/tenant-scope.js';
import {
  createHubSpotClientFactory,
  type HubSpotClientFactory,
} from '../../relay/src/hubspot/client-factory.js';
import type { Clock } from '../../relay/src/hubspot/clock.js';
import { preparePortal } from '../../relay/src/hubspot/connect.js';
import { loadConnection, saveConnection } from '../../relay/src/hubspot/connection-store.js';
import { buildConnectUrl } from '../../relay/src/hubspot/oauth.js';
import { createHubSpotWorker } from '../../relay/src/hubspot/start-worker.js';
import type { HubSpotSyncWorker, RunResult } from '../../relay/src/hubspot/sync-worker.js';
import { TokenCipher } from '../../relay/src/hubspot/token-cipher.js';
import { createLogger } from '../../relay/src/logger.js';
import { upsertContact } from '../../relay/src/payments/contacts.js';
import { applyStatusChange, claimAttempt } from '../../relay/src/payments/transaction-store.js';
import { startTestRelay, type TestRelay } from '../../relay/src/testing/test-relay.js';
import {
  createCardPaymentMethod,
  paymentRequest,
  postJson,
  seedTenantWithForm,
} from '../../relay/src/testing/payment-fixtures.js';

/** Two fixed 32-byte keys: "k2" current, "k1" still readable. */
export const ENCRYPTION_KEYS = `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`;

/**
 * Simulated time: real time plus an offset that `sleep` and `advance` move, so an hour passes in
 * milliseconds while rows written with the database's now() are never in the clock's future.
 */
export class FakeClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    this.offset += Math.max(0, ms);
    await yieldToIo();
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export function hubspotEnv(
  hubspot: HubSpotSandbox,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    HUBSPOT_API_BASE: hubspot.url,
    ONEPAGEPAY_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
    HUBSPOT_WORKER_ENABLED: 'false',
    HUBSPOT_TIMEOUT_MS: '5000',
    ...extra,
  };
}

export type Seeded = Awaited<ReturnType<typeof seedTenantWithForm>>;

/** A relay (worker off: tests drive their own, on simulated time), a Stripe and a HubSpot sandbox. */
export class HubSpotWorld {
  readonly clock = new FakeClock();
  stripe!: StripeSandbox;
  hubspot!: HubSpotSandbox;
  relay!: TestRelay;
  /** The attempt id each payment made through the route used (the SDK keeps it for its reports). */
  readonly attemptIds = new Map<string, string>();

  static async start(env: Record<string, string> = {}): Promise<HubSpotWorld> {
    const world = new HubSpotWorld();
    world.stripe = await startStripeSandbox();
    world.hubspot = await startHubSpotSandbox({ clock: () => world.clock.now() });
    const oauth = {
      HUBSPOT_CLIENT_ID: world.hubspot.oauthApp.clientId,
      HUBSPOT_CLIENT_SECRET: world.hubspot.oauthApp.clientSecret,
      // The relay's port is not known yet; tests call the real callback URL with the code and state.
      HUBSPOT_REDIRECT_URI: 'https://relay.example/v1/hubspot/oauth/callback',
    };
    world.relay = await startTestRelay(world.stripe, {
      env: hubspotEnv(world.hubspot, { ...oauth, ...env }),
    });
    return world;
  }

  /**
   * An OAuth install as a portal admin's browser runs it, up to HubSpot's redirect: the install link
   * (the relay's start, which sets the nonce cookie), then HubSpot's consent. Returns the callback
   * URL HubSpot redirected to and the cookie that browser holds.
   */
  async beginOAuthInstall(tenantId: string, portalId: number): Promise<{ callback: URL; cookie: string }> {
    const link = buildConnectUrl(
      { hubspot: this.relay.config.hubspot, clock: this.clock },
      { tenantId, livemode: false },
    );
    const started = await fetch(new URL(link.pathname + link.search, this.relay.url), { redirect: 'manual' });
    const cookie = /opp_hubspot_oauth=[^;]*/.exec(started.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const authorize = new URL(started.headers.get('location') ?? 'about:blank');
    authorize.searchParams.set('portal_id', String(portalId));
    const consent = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL('/v1/hubspot/oauth/callback', this.relay.url);
    callback.search = new URL(consent.headers.get('location') ?? 'about:blank').search;
    return { callback, cookie };
  }

  /** The whole install: begin it, then follow HubSpot's redirect in the same browser. */
  async installByOAuth(tenantId: string, portalId: number): Promise<{ status: number; body: string }> {
    const { callback, cookie } = await this.beginOAuthInstall(tenantId, portalId);
    const response = await fetch(callback, { headers: { cookie } });
    return { status: response.status, body: await response.text() };
  }

  async openConnection(tenantId: string) {
    return loadConnection(this.knex, new TokenCipher(this.relay.config.encryptionKeys), {
      tenantId,
      livemode: false,
    });
  }

  get knex(): Knex {
    return this.relay.database.knex;
  }

  /**
   * A tenant with a $49 test-mode form and a portal connected with a private-app token. The HubSpot
   * form has OnePagePay's hidden fields (as docs/hubspot.md asks) unless `formFields` says otherwise;
   * `portal` sets the account's settings before the connect reads them.
   */
  async seedConnectedTenant(
    name = 'Acme Workshops',
    options: {
      formFields?: CreateFormOptions['fields'];
      portal?: Parameters<HubSpotSandbox['configurePortal']>[1];
    } = {},
  ): Promise<Seeded & { portalId: number; accessToken: string }> {
    const seeded = await seedTenantWithForm(this.knex, { name });
    const { portalId, accessToken } = this.hubspot.createPortal();
    if (options.portal) this.hubspot.configurePortal(portalId, options.portal);
    this.hubspot.createForm(portalId, {
      formGuid: seeded.form.hubspotFormGuid,
      fields: options.formFields ?? DEMO_FORM_FIELDS,
    });
    await saveConnection(
      this.knex,
      new TokenCipher(this.relay.config.encryptionKeys),
      { tenantId: seeded.tenant.id, livemode: false },
      {
        portalId,
        authKind: 'private_app',
        accessToken,
      },
    );
    // As `hubspot set-token` does: the custom properties are created on connect.
    const problem = await preparePortal(
      {
        knex: this.knex,
        cipher: new TokenCipher(this.relay.config.encryptionKeys),
        clientFactory: createHubSpotClientFactory(new URL(this.hubspot.url)),
        // Connecting is setup, not what a test times: it reads the portal (account, pipelines,
        // currencies, forms) with at least 5 s each, even in a world whose worker times out sooner.
        hubspot: {
          ...this.relay.config.hubspot,
          timeoutMs: Math.max(this.relay.config.hubspot.timeoutMs, 5000),
        },
        logger: createLogger({ level: 'silent' }),
      },
      { tenantId: seeded.tenant.id, livemode: false },
    );
    if (problem) throw new Error(`properties not created: ${problem}`);
    return { ...seeded, portalId, accessToken };
  }

  worker(
    options: { database?: Database; clientFactory?: HubSpotClientFactory; logLines?: string[] } = {},
  ): HubSpotSyncWorker {
    const lines = options.logLines;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines?.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    return createHubSpotWorker({
      config: this.relay.config,
      logger: createLogger({ level: 'info', destination }),
      // As the relay runs it: the app role's connection on PostgreSQL, under row-level security.
      knex: (options.database ?? this.relay.database.app ?? this.relay.database).knex,
      clientFactory: options.clientFactory ?? createHubSpotClientFactory(new URL(this.hubspot.url)),
      clock: this.clock,
    });
  }

  /** Pays through POST /v1/payments, as the SDK does. */
  async payThroughRoute(seeded: Seeded, email: string): Promise<string> {
    const paymentMethodId = await createCardPaymentMethod(
      this.stripe.url,
      this.stripe.keys.publishableTest,
      '4242424242424242',
    );
    const request = paymentRequest(seeded.tenant.id, seeded.form.hubspotFormGuid, paymentMethodId, {
      contact: { email, firstName: 'Ada', lastName: 'Lovelace' },
      hutk: 'a1b2c3d4e5f6',
    });
    const response = await postJson(`${this.relay.url}/v1/payments`, request);
    if (response.status !== 200 || response.body['status'] !== 'succeeded') {
      throw new Error(`payment failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    const id = response.body['transactionId'] as string;
    this.attemptIds.set(id, request.attemptId);
    return id;
  }

  /**
   * Records a paid transaction through the same store calls the payment route makes after Stripe
   * answers (claimAttempt, upsertContact, applyStatusChange, which writes the outbox row), without
   * the Stripe round trip, so a suite can make a thousand payments quickly.
   */
  async payDirectly(seeded: Seeded, email: string): Promise<string> {
    return (await this.payDirectlyMany(seeded, [email]))[0] as string;
  }

  /** Several payments in one database transaction (each still claimed, then paid, with its outbox row). */
  async payDirectlyMany(
    seeded: Seeded,
    emails: readonly string[],
    currencyOf: (index: number) => string = () => 'USD',
  ): Promise<string[]> {
    const scope = { tenantId: seeded.tenant.id, livemode: false };
    return inTenantTransaction(this.knex, scope, async (trx) => {
      const sql = sqlSessionOf(trx);
      const ids: string[] = [];
      for (const [index, email] of emails.entries()) {
        const attemptId = `att_${crypto.randomUUID().replaceAll('-', '')}`;
        const contact = await upsertContact(sql, scope, {
          email,
          firstName: 'Grace',
          lastName: 'Hopper',
          stripeCustomerId: null,
        });
        const { transaction } = await claimAttempt(sql, scope, {
          formId: seeded.form.id,
          attemptId,
          requestFingerprint: attemptId,
          amount: 4900,
          currency: currencyOf(index),
          productName: seeded.form.productName,
          provider: 'stripe',
          hutk: null,
          pageUri: null,
        });
        const { transaction: paid } = await applyStatusChange(sql, transaction as Transaction, {
          status: 'succeeded',
          providerPaymentId: `pi_direct_${attemptId.slice(4, 28)}`,
          contactId: contact.id,
        });
        ids.push(paid.id);
      }
      return ids;
    });
  }

  async close(): Promise<void> {
    await this.relay?.close();
    await this.hubspot?.close();
    await this.stripe?.close();
  }
}

/** Runs worker rounds until nothing is due, moving simulated time `stepMs` whenever a round is idle. */
export async function drain(
  worker: HubSpotSyncWorker,
  clock: FakeClock,
  options: { until: () => Promise<boolean>; stepMs?: number; maxRounds?: number },
): Promise<RunResult[]> {
  const rounds: RunResult[] = [];
  for (let round = 0; round < (options.maxRounds ?? 200); round++) {
    if (await options.until()) return rounds;
    const result = await worker.runOnce();
    rounds.push(result);
    if (result.claimed === 0) clock.advance(options.stepMs ?? 60_000);
  }
  throw new Error(`not drained after ${options.maxRounds ?? 200} rounds: ${JSON.stringify(rounds.at(-1))}`);
}

export async function countByState(knex: Knex, tenantId: string): Promise<Record<string, number>> {
  const rows = (await knex('transactions')
    .where({ tenant_id: tenantId })
    .groupBy('hubspot_sync_state')
    .select('hubspot_sync_state as state')
    .count('* as count')) as Array<{ state: string | null; count: string | number }>;
  return Object.fromEntries(rows.map((row) => [row.state ?? 'none', Number(row.count)]));
}

export async function allSynced(knex: Knex, tenantId: string, expected: number): Promise<boolean> {
  return (await countByState(knex, tenantId))['synced'] === expected;
}
