import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/open-database.js';
import { ConfigError } from '../../errors.js';
import { createHubSpotWorker } from '../../hubspot/start-worker.js';
import { createLogger } from '../../logger.js';
import { stopOnSignals } from '../../server.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerWorkerCommand: RegisterCommands = (program) => {
  program
    .command('worker')
    .description('Run only the HubSpot sync worker (any number may run beside the relays)')
    .action(async () => {
      const config = loadConfig();
      if (config.encryptionKeys.length === 0) {
        throw new ConfigError(
          'ONEPAGEPAY_ENCRYPTION_KEYS must be set: the worker decrypts HubSpot tokens with it.',
        );
      }
      const logger = createLogger({ level: config.logLevel });
      const database = await openDatabase(config);
      const worker = createHubSpotWorker({ config, logger, knex: database.knex });
      worker.start();
      logger.info({ database: database.kind }, 'hubspot worker started');
      stopOnSignals(async () => {
        await worker.stop();
        await database.close();
      }, logger);
    });
};
