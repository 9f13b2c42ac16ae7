import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { startRelay, stopOnSignals } from '../../server.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerServeCommand: RegisterCommands = (program) => {
  program
    .command('serve')
    .description('Run the relay (the default command)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel });
      const relay = await startRelay({ config, logger });
      stopOnSignals(relay.close, logger);
    });
};
