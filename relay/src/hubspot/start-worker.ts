import type { Knex } from 'knex';
import type { RelayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createHubSpotClientFactory, type HubSpotClientFactory } from './client-factory.js';
import type { Clock } from './clock.js';
import { HubSpotSyncWorker } from './sync-worker.js';
import { TokenCipher } from './token-cipher.js';

/**
 * Starts the HubSpot worker with the relay, unless HUBSPOT_WORKER_ENABLED=false or there is no
 * ONEPAGEPAY_ENCRYPTION_KEYS (without a key no portal can be connected, so there is nothing to do).
 */
export function startHubSpotWorker(options: {
  config: RelayConfig;
  logger: Logger;
  knex: Knex;
  clientFactory?: HubSpotClientFactory;
  clock?: Clock;
}): HubSpotSyncWorker | undefined {
  const { config, logger } = options;
  if (!config.hubspot.worker.enabled) return undefined;
  if (config.encryptionKeys.length === 0) {
    logger.info('hubspot worker not started: ONEPAGEPAY_ENCRYPTION_KEYS is not set');
    return undefined;
  }
  const worker = createHubSpotWorker(options);
  worker.start();
  return worker;
}

export function createHubSpotWorker(options: {
  config: RelayConfig;
  logger: Logger;
  knex: Knex;
  clientFactory?: HubSpotClientFactory;
  clock?: Clock;
}): HubSpotSyncWorker {
  const { config } = options;
  return new HubSpotSyncWorker({
    knex: options.knex,
    cipher: new TokenCipher(config.encryptionKeys),
    clientFactory: options.clientFactory ?? createHubSpotClientFactory(config.hubspot.apiBase),
    logger: options.logger,
    hubspot: config.hubspot,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
