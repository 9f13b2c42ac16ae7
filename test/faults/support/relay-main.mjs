// The fault suite's relay process: `onepagepay-relay serve` (the compiled relay, configured from the
// environment exactly as in production), except that its HubSpot worker reads time from the
// suite's simulated clock (FAULTS_CLOCK, see fault-clock.ts, whose `clockOf` this mirrors) instead of
// the system clock. The worker takes its clock as a dependency (relay/src/hubspot/clock.ts): its
// claims, leases, backoff and rate limiter all run on it. Nothing in the relay reads FAULTS_CLOCK:
// only this test launcher does, so no production process can be put on a simulated clock.
// Plain JavaScript on the compiled relay (FaultWorld builds it), so that a restart takes about a
// second: under a TypeScript loader every module of the relay's dependencies goes through it.
const dist = (file) => import(new URL(`../../../relay/dist/${file}`, import.meta.url).href);
const { loadConfig } = await dist('config.js');
const { createLogger } = await dist('logger.js');
const { startRelay, stopOnSignals } = await dist('server.js');
const { startHubSpotWorker } = await dist('hubspot/start-worker.js');

/** `realStart:simStart:speed` → the relay's Clock interface. */
function clockFrom(text) {
  const [realStart, simStart, speed] = text.split(':').map(Number);
  if (![realStart, simStart, speed].every(Number.isFinite) || !(speed > 0)) {
    throw new Error(`FAULTS_CLOCK must be realStart:simStart:speed (ms, ms, factor), not "${text}"`);
  }
  return {
    now: () => Math.floor(simStart + (Date.now() - realStart) * speed),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / speed))),
  };
}

const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
const clock = process.env.FAULTS_CLOCK ? clockFrom(process.env.FAULTS_CLOCK) : undefined;
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
