import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startHubSpotSandbox,
  startStripeSandbox,
  type HubSpotSandbox,
  type StripeSandbox,
} from '@onepagepay/sandbox';
import { loadConfig } from '../../../relay/src/config.js';
import { migrateToLatest } from '../../../relay/src/db/migrations/index.js';
import { openPostgres, type Database } from '../../../relay/src/db/open-database.js';
import { DEMO_FORM_FIELDS } from '../../../relay/src/dev/connect-demo-hubspot.js';
import { createHubSpotClientFactory } from '../../../relay/src/hubspot/client-factory.js';
import { preparePortal } from '../../../relay/src/hubspot/connect.js';
import { saveConnection } from '../../../relay/src/hubspot/connection-store.js';
import { TokenCipher } from '../../../relay/src/hubspot/token-cipher.js';
import { createLogger } from '../../../relay/src/logger.js';
import { seedTenantWithForm } from '../../../relay/src/testing/payment-fixtures.js';
import { startCluster, type Cluster } from './cluster.js';
import { FaultClock, formatSegment } from './fault-clock.js';
import { HubSpotTap, type DealWrite } from './hubspot-tap.js';
import type { Payer } from './load.js';
import { runToEnd, spawnLogged, waitUntil, type Spawned } from './processes.js';
import { RelayProcess } from './relays.js';
import { StripeGate } from './stripe-gate.js';

/** The relays' GET /metrics token (scenarios read the reconciliation counters). */
export const METRICS_TOKEN = 'faults-metrics-token-0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_test_onepagepay_faults';
const ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const HAPROXY_DIR = path.resolve(import.meta.dirname, '../../../deploy/haproxy');
const TSC = path.resolve(import.meta.dirname, '../../../node_modules/typescript/bin/tsc');

/**
 * Ports: PostgreSQL monitor, zone A, zone B from FAULTS_PG_PORT (3 in a row); from FAULTS_HTTP_PORT:
 * HAProxy, (one spare), relay A, relay B, then the relays the kill trials use.
 */
function ports() {
  const pgBase = Number(process.env.FAULTS_PG_PORT ?? 55432);
  const httpBase = Number(process.env.FAULTS_HTTP_PORT ?? 8180);
  return {
    pg: { monitor: pgBase, zone_a: pgBase + 1, zone_b: pgBase + 2 },
    haproxy: httpBase,
    relays: { a: httpBase + 2, b: httpBase + 3 },
    trialRelays: [httpBase + 4, httpBase + 5, httpBase + 6],
  };
}

export interface Shop {
  tenantId: string;
  formGuid: string;
  portalId: number;
  payer: Payer;
}

/**
 * The two-zone topology as real processes: pg_auto_failover (monitor, primary in zone A,
 * synchronous standby in zone B), one relay per zone with its HubSpot worker on, HAProxy in front
 * with /readyz checks, and the Stripe and HubSpot sandboxes (in this process, so tests can cause
 * outages and read what they hold). Stripe webhooks go to HAProxy, as Stripe's would.
 */
export class FaultWorld {
  cluster!: Cluster;
  owner!: Database;
  stripe!: StripeSandbox;
  hubspot!: HubSpotSandbox;
  gates: Record<'a' | 'b', StripeGate> = {} as never;
  relays: Record<'a' | 'b', RelayProcess> = {} as never;
  /** The HubSpot sandbox's and the relays' HubSpot workers' clock (support/fault-clock.ts). */
  readonly clock = new FaultClock();
  /** Every deal HubSpot accepted, by transaction and relay (support/hubspot-tap.ts). */
  readonly dealWrites: DealWrite[] = [];
  haproxy!: Spawned;
  logDir!: string;
  readonly ports = ports();
  /** Where the Stripe sandbox sends its webhooks: HAProxy, as Stripe would. */
  get stripeWebhook() {
    return { url: `${this.url}/v1/webhooks/stripe`, secret: WEBHOOK_SECRET };
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.haproxy}`;
  }

  static async start(): Promise<FaultWorld> {
    // The relays run compiled, as in production (an up-to-date build takes a moment).
    if (process.env.FAULTS_BUILD !== 'false') {
      await runToEnd([process.execPath, TSC, '-b', 'packages/protocol', 'packages/sandbox', 'relay']);
    }
    const world = new FaultWorld();
    world.logDir = await mkdtemp(path.join(os.tmpdir(), 'onepagepay-faults-logs-'));
    try {
      world.cluster = await startCluster(world.ports.pg);
      world.owner = openPostgres(world.cluster.url('postgres'), { min: 0, max: 4 }, { bindModels: true });
      await migrateToLatest(world.owner.knex);
      world.stripe = await startStripeSandbox({
        webhook: world.stripeWebhook,
        // Stripe retries a failed delivery for days; a few tries over a minute cover any fault here.
        webhookRetryDelaysMs: [500, 1000, 2000, 4000, 8000, 15000, 30000],
      });
      world.hubspot = await startHubSpotSandbox({ clock: () => world.clock.now() });
      for (const zone of ['a', 'b'] as const) {
        const { relay, gate } = await world.addRelay(`relay_${zone}`, world.ports.relays[zone]);
        world.relays[zone] = relay;
        world.gates[zone] = gate;
      }
      await Promise.all([world.relays.a.start(), world.relays.b.start()]);
      world.haproxy = spawnLogged(['haproxy', '-db', '-f', path.join(HAPROXY_DIR, 'haproxy.cfg')], {
        env: {
          ONEPAGEPAY_BIND: `127.0.0.1:${world.ports.haproxy}`,
          RELAY_A: `127.0.0.1:${world.ports.relays.a}`,
          RELAY_B: `127.0.0.1:${world.ports.relays.b}`,
          ONEPAGEPAY_ERRORS: path.join(HAPROXY_DIR, 'errors'),
        },
        logFile: path.join(world.logDir, 'haproxy.log'),
      });
      await waitUntil('HAProxy routing to ready relays', async () => (await fetch(`${world.url}/readyz`)).ok);
    } catch (error) {
      // A half-started world still has processes running: stop them, keep the logs to read.
      await world.close(true);
      console.error(`fault world did not start; logs kept in ${world.logDir}`);
      throw error;
    }
    return world;
  }

  /**
   * A relay process (not started) with a Stripe gate and a HubSpot tap of its own; the suite closes
   * them at the end.
   */
  async addRelay(name: string, port: number): Promise<{ relay: RelayProcess; gate: StripeGate }> {
    const gate = await StripeGate.start(this.stripe.url);
    const tap = await HubSpotTap.start(this.hubspot.url, name, this.dealWrites);
    const relay = new RelayProcess(
      name,
      port,
      this.relayEnv(gate, tap),
      path.join(this.logDir, `${name}.log`),
    );
    this.extra.push({ relay, gate, tap });
    return { relay, gate };
  }

  private readonly extra: Array<{ relay: RelayProcess; gate: StripeGate; tap: HubSpotTap }> = [];

  /**
   * Runs the simulated clock `speed` times real time from now on, and restarts both zones' relays
   * on it (one after the other, so HAProxy always has one), with `env` changed as well.
   */
  async setClockSpeed(speed: number, env: Record<string, string> = {}): Promise<void> {
    const segment = formatSegment(this.clock.setSpeed(speed));
    for (const zone of ['a', 'b'] as const) {
      await this.relays[zone].restartWith({ ...env, FAULTS_CLOCK: segment });
    }
    await waitUntil('HAProxy routing to both relays', async () => (await fetch(`${this.url}/readyz`)).ok);
  }

  private relayEnv(gate: StripeGate, tap: HubSpotTap): Record<string, string> {
    return {
      ...this.relayDefaults(),
      STRIPE_API_BASE: gate.url,
      HUBSPOT_API_BASE: tap.url,
      FAULTS_CLOCK: formatSegment(this.clock.segment),
    };
  }

  /** The settings every relay runs with (a scenario that changes some puts these back). */
  relayDefaults(): Record<string, string> {
    return {
      DATABASE_URL: this.cluster.url('onepagepay_app'),
      DATABASE_OWNER_URL: this.cluster.url('postgres'),
      LOG_LEVEL: 'warn',
      STRIPE_TEST_SECRET_KEY: this.stripe.keys.secretTest,
      STRIPE_TEST_PUBLISHABLE_KEY: this.stripe.keys.publishableTest,
      STRIPE_TEST_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_TIMEOUT_MS: '3000',
      TRUSTED_PROXY_HOPS: '1',
      RATE_LIMIT_PAYMENTS_PER_MINUTE: '1000000',
      // The card-testing caps would stop a run that pays many times as one payer from one IP.
      CARD_ATTEMPTS_PER_IP_PER_HOUR: '1000000',
      CARD_ATTEMPTS_PER_EMAIL_PER_HOUR: '1000000',
      CARD_ATTEMPTS_PER_TENANT_PER_HOUR: '1000000',
      CARD_DECLINES_PER_EMAIL_PER_DAY: '1000000',
      CARD_DECLINES_PER_IP_PER_DAY: '1000000',
      CARD_FAILURES_PER_ATTEMPT: '1000000',
      RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '1000000',
      SHUTDOWN_GRACE_MS: '1000',
      STATUS_CACHE_MS: '1000',
      ONEPAGEPAY_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
      HUBSPOT_WORKER_ENABLED: 'true',
      HUBSPOT_WORKER_POLL_MS: '200',
      // At least two call deadlines plus a second (the relay refuses less: hubspot/job-lease.ts),
      // short so that jobs a fault cut short run again soon.
      HUBSPOT_WORKER_LEASE_MS: '8000',
      HUBSPOT_RETRY_BASE_MS: '500',
      HUBSPOT_RETRY_MAX_MS: '5000',
      HUBSPOT_MAX_ATTEMPTS: '1000',
      HUBSPOT_TIMEOUT_MS: '3000',
      // The reconciliation sweep runs in every relay, as in production, but every few seconds
      // (production: every 15 minutes) so that it takes part in every fault.
      RECONCILE_INTERVAL_MS: '10000',
      RECONCILE_LOOKBACK_HOURS: '1',
      RECONCILE_GRACE_MS: '3000',
      METRICS_TOKEN,
    };
  }

  /** A tenant of its own per scenario (so each one's figures stand alone), its portal connected. */
  async openShop(name: string): Promise<Shop> {
    const { tenant, form } = await seedTenantWithForm(this.owner.knex, { name });
    const { portalId, accessToken } = this.hubspot.createPortal();
    this.hubspot.createForm(portalId, { formGuid: form.hubspotFormGuid, fields: DEMO_FORM_FIELDS });
    const config = loadConfig({
      ONEPAGEPAY_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
      HUBSPOT_API_BASE: this.hubspot.url,
    });
    const cipher = new TokenCipher(config.encryptionKeys);
    const scope = { tenantId: tenant.id, livemode: false };
    await saveConnection(this.owner.knex, cipher, scope, { portalId, authKind: 'private_app', accessToken });
    const problem = await preparePortal(
      {
        knex: this.owner.knex,
        cipher,
        clientFactory: createHubSpotClientFactory(new URL(this.hubspot.url)),
        hubspot: config.hubspot,
        logger: createLogger({ level: 'silent' }),
      },
      scope,
    );
    if (problem) throw new Error(`HubSpot properties not created: ${problem}`);
    return {
      tenantId: tenant.id,
      formGuid: form.hubspotFormGuid,
      portalId,
      payer: {
        relayUrl: this.url,
        stripeUrl: this.stripe.url,
        publishableKey: this.stripe.keys.publishableTest,
        tenantId: tenant.id,
        formGuid: form.hubspotFormGuid,
      },
    };
  }

  /** Stops everything; the logs and PostgreSQL data are removed unless `keep` (a failed run). */
  async close(keep = false): Promise<void> {
    await this.haproxy?.stop(5_000);
    for (const { relay } of this.extra) await relay.stop();
    for (const { gate, tap } of this.extra) await Promise.all([gate.close(), tap.close()]);
    await this.owner?.close();
    await this.stripe?.close();
    await this.hubspot?.close();
    await this.cluster?.stop(keep);
    if (!keep) await rm(this.logDir, { recursive: true, force: true });
  }
}
