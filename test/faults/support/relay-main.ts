/**
 * The fault suite's relay process: `onepagepay-relay serve` (the compiled relay, configured from the
 * environment exactly as in production), except that its HubSpot worker reads time from the
 * suite's simulated clock (FAULTS_CLOCK, see fault-clock.ts) instead of the system clock. The worker
 * takes its clock as a dependency (relay/src/hubspot/clock.ts): its claims, leases, backoff and
 * rate limiter all run on it. Nothing in the relay reads FAULTS_CLOCK: only this test launcher does,
 * so no production process can be put on a simulated clock.
 */
import type * as Config from '../../../relay/src/config.js';
import type * as Logging from '../../../relay/src/logger.js';
import type * as Server from '../../../relay/src/server.js';
import type * as Worker from '../../../relay/src/hubspot/start-worker.js';
import { clockOf, parseSegment } from './fault-clock.js';

// The compiled relay (FaultWorld builds it), typed by its sources: a restart takes about a second.
const dist = (file: string) => import(new URL(`../../../relay/dist/${file}`, import.meta.url).href);
const { loadConfig } = (await dist('config.js')) as typeof Config;
const { createLogger } = (await dist('logger.js')) as typeof Logging;
const { startRelay, stopOnSignals } = (await dist('server.js')) as typeof Server;
const { startHubSpotWorker } = (await dist('hubspot/start-worker.js')) as typeof Worker;

const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
const clock = process.env.FAULTS_CLOCK ? clockOf(parseSegment(process.env.FAULTS_CLOCK)) : undefined;
const withoutWorker = {
  ...config,
  hubspot: { ...config.hubspot, worker: { ...config.hubspot.worker, enabled: false } },
};
const relay = await startRelay({ config: clock ? withoutWorker : config, logger });
// The same worker startRelay would start (after the relay listens), given the simulated clock.
const worker = clock ? startHubSpotWorker({ config, logger, knex: relay.database.knex, clock }) : undefined;
stopOnSignals(async () => {
  await worker?.stop();
  await relay.close();
}, logger);
