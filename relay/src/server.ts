import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { RouteDoc } from '@onepagepay/protocol';
import { buildApp } from './app.js';
import { merchantRouters } from './routes/merchant/index.js';
import type { RelayConfig } from './config.js';
import { openDatabase, type Database } from './db/open-database.js';
import { migrateToLatest } from './db/migrations/index.js';
import type { Logger } from './logger.js';
import { createMailer } from './mail/create-mailer.js';
import { PAYMENT_PROVIDERS } from './payments/providers/index.js';
import type { Mailer } from './mail/mailer.js';
import {
  closeProviderClients,
  createProviderClients,
  type ProviderClients,
} from './payments/payment-deps.js';
import type { StripeAccounts } from './payments/providers/stripe/stripe-accounts.js';
import { startHubSpotWorker } from './hubspot/start-worker.js';
import { startBackupSchedule } from './backups/backup-schedule.js';
import { hubspotRoutes } from './routes/hubspot/index.js';
import { UpstreamHealthMonitor } from './status/upstream-health.js';
import { upstreamProbes } from './status/upstream-probes.js';
import { RelayMetrics } from './observability/metrics.js';
import { startReconciliationSchedule } from './reconciliation/sweep-schedule.js';
import { createErrorReporter, type ErrorReporter } from './observability/error-reporter.js';

/** The running relay, with each provider's clients (`stripe`, `paypal`) for tests to reach. */
export interface RunningRelay extends ProviderClients {
  url: string;
  port: number;
  database: Database;
  /** Where unexpected errors go: Sentry with SENTRY_DSN, otherwise a reporter that sends nothing. */
  errorReporter: ErrorReporter;
  /** Stops taking connections, lets in-flight requests finish (up to the grace period), closes the DB. */
  close(): Promise<void>;
}

export interface StartRelayOptions {
  config: RelayConfig;
  logger: Logger;
  /** An already open database (tests); otherwise opened from the config and closed with the relay. */
  database?: Database;
  migrate?: boolean;
  /** Sends signup verification mails; without one they go to the log (development only). */
  mailer?: Mailer;
  extraRouters?: (deps: {
    database: Database;
    stripe: StripeAccounts;
  }) => Array<{ router: Router; docs: RouteDoc[] }>;
}

export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
  const { config, logger } = options;
  const database = options.database ?? (await openDatabase(config));
  const ownsDatabase = !options.database;
  if (options.migrate ?? true) await migrateToLatest(database.knex);
  const clients = createProviderClients(config);
  const errorReporter = await createErrorReporter(config.sentry, logger);
  const probes = upstreamProbes({ providers: PAYMENT_PROVIDERS, clients, config });
  const health = new UpstreamHealthMonitor(probes, {
    cacheMs: config.statusCacheMs,
    timeoutMs: Math.min(config.stripe.timeoutMs, 3_000),
    degradedMs: config.statusDegradedMs,
    // Probes start after start-up (health.start below), when `metrics` exists.
    onProbe: (upstream, result) => metrics.recordProbe(upstream, result),
  });
  const metrics = new RelayMetrics({
    knex: database.knex,
    upstreams: async () => (await health.status()).providers,
  });
  const { app } = buildApp({
    config,
    metrics,
    knex: database.knex,
    ...clients,
    logger,
    health,
    errorReporter,
    extraRouters: [
      ...hubspotRoutes({ config, knex: database.knex, logger }),
      ...merchantRouters({
        database,
        clients,
        config,
        mailer: options.mailer ?? createMailer(config, logger),
      }),
      ...(options.extraRouters?.({ database, stripe: clients.stripe }) ?? []),
    ],
  });
  const server = http.createServer(app.callback());
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, database: database.kind, errorReporting: errorReporter.enabled }, 'relay listening');
  if (config.encryptionKeys.length === 0) {
    logger.warn(
      'ONEPAGEPAY_ENCRYPTION_KEYS is unset: merchant two-factor enrolment and HubSpot connections are refused until it is set',
    );
  }
  const hubspotWorker = startHubSpotWorker({ config, logger, knex: database.knex });
  const backups = startBackupSchedule({ config, database, logger });
  const reconciliation = startReconciliationSchedule({
    providers: PAYMENT_PROVIDERS,
    deps: { knex: database.knex, ...clients, logger },
    config: config.reconciliation,
    metrics,
  });
  health.start(config.statusProbeIntervalMs);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      health.stop();
      await hubspotWorker?.stop();
      await backups?.stop();
      await reconciliation?.stop();
      await closeProviderClients(clients);
      await errorReporter.close(2_000);
      if (ownsDatabase) await database.close();
      logger.info('relay stopped');
    })());
  return { url, port, database, ...clients, errorReporter, close };
}

/** SIGTERM and SIGINT stop the relay gracefully; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
