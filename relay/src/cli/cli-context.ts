import type { Command } from 'commander';
import { loadConfig, type RelayConfig } from '../config.js';
import { openDatabase, type Database } from '../db/open-database.js';
import { migrateToLatest } from '../db/migrations/index.js';

export interface CliContext {
  /** Runs `work` with the configured database open and migrated, and always closes it. */
  withDatabase<T>(
    work: (database: Database, config: RelayConfig) => PromiseLike<T>,
    options?: { migrate?: boolean },
  ): Promise<T>;
  /** The validated configuration, for commands that must not open the database first (restore). */
  config(): RelayConfig;
  print(line: string): void;
  /** Prints `value` as JSON (dates as ISO strings), for `--json` and scripts such as `jq`. */
  printJson(value: unknown): void;
}

export type RegisterCommands = (program: Command, context: CliContext) => void;

export function createCliContext(env: NodeJS.ProcessEnv, output: (line: string) => void): CliContext {
  return {
    async withDatabase(work, options = {}) {
      const config = loadConfig(env);
      // Operator commands look across tenants, so they use the owner connection, not the app role.
      const database = await openDatabase({ ...config, as: 'owner' });
      try {
        if (options.migrate ?? true) await migrateToLatest(database.knex);
        return await work(database, config);
      } finally {
        await database.close();
      }
    },
    config: () => loadConfig(env),
    print: output,
    printJson: (value) => output(JSON.stringify(value, null, 2)),
  };
}
