import { Writable } from 'node:stream';
import { loadConfig, type RelayConfig } from '../config.js';
import type { Database } from '../db/open-database.js';
import { createLogger } from '../logger.js';
import { startRelay, type RunningRelay, type StartRelayOptions } from '../server.js';
import { MailCapture } from './mail-capture.js';
import { createTestDatabase } from './test-database.js';

export const TEST_WEBHOOK_SECRET = 'whsec_test_onepagepay_relay_suite';
export const LIVE_WEBHOOK_SECRET = 'whsec_live_onepagepay_relay_suite';
/**
 * For suites that enrol 2FA (it refuses without a key). Not a default: with a key the relay also
 * starts its HubSpot worker, which suites that do not expect it must not have.
 */
export const TEST_ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface StripeSandboxLike {
  url: string;
  keys: { secretTest: string; publishableTest: string; secretLive: string; publishableLive: string };
}

export interface TestRelay extends RunningRelay {
  config: RelayConfig;
  database: Database;
  /** Every log line the relay wrote, for assertions that nothing secret is logged. */
  logLines: string[];
  /** Every mail the relay sent (signup verification). */
  mailbox: MailCapture;
}

/** A real relay on a random port, on a fresh database, pointed at a Stripe sandbox. */
export async function startTestRelay(
  stripe: StripeSandboxLike,
  options: {
    env?: Record<string, string>;
    extraRouters?: StartRelayOptions['extraRouters'];
    /** False: send mail as configured (MERCHANT_SMTP_URL or the log) instead of into `mailbox`. */
    captureMail?: boolean;
  } = {},
): Promise<TestRelay> {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'info',
    STRIPE_API_BASE: stripe.url,
    STRIPE_TEST_SECRET_KEY: stripe.keys.secretTest,
    STRIPE_TEST_PUBLISHABLE_KEY: stripe.keys.publishableTest,
    STRIPE_TEST_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_LIVE_SECRET_KEY: stripe.keys.secretLive,
    STRIPE_LIVE_PUBLISHABLE_KEY: stripe.keys.publishableLive,
    STRIPE_LIVE_WEBHOOK_SECRET: LIVE_WEBHOOK_SECRET,
    STRIPE_TIMEOUT_MS: '5000',
    STATUS_CACHE_MS: '0',
    // On demand, so a suite sees an outage it just made; suites of the background probe set it.
    STATUS_PROBE_INTERVAL_MS: '0',
    RATE_LIMIT_PAYMENTS_PER_MINUTE: '100000',
    // The card-testing caps (per email, IP, tenant) would stop a suite that pays many times as one payer.
    CARD_ATTEMPTS_PER_IP_PER_HOUR: '100000',
    CARD_ATTEMPTS_PER_EMAIL_PER_HOUR: '100000',
    CARD_ATTEMPTS_PER_TENANT_PER_HOUR: '100000',
    CARD_DECLINES_PER_EMAIL_PER_DAY: '100000',
    CARD_DECLINES_PER_IP_PER_DAY: '100000',
    CARD_FAILURES_PER_ATTEMPT: '100000',
    RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '100000',
    MERCHANT_SIGNUPS_PER_IP_PER_HOUR: '100000',
    SHUTDOWN_GRACE_MS: '1000',
    // Suites that drop webhooks on purpose must not have a sweep repair them behind their back.
    RECONCILE_INTERVAL_MS: '0',
    ...options.env,
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const database = await createTestDatabase();
  const mailbox = new MailCapture();
  const relay = await startRelay({
    config,
    logger,
    ...(options.captureMail === false ? {} : { mailer: mailbox }),
    database: database.app ?? database,
    migrate: false,
    ...(options.extraRouters ? { extraRouters: options.extraRouters } : {}),
  });
  return {
    ...relay,
    config,
    database,
    logLines,
    mailbox,
    close: async () => {
      await relay.close();
      await database.close();
    },
  };
}
