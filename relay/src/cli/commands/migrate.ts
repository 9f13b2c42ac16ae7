import { migrateToLatest } from '../../db/migrations/index.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerMigrateCommand: RegisterCommands = (program, context) => {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      await context.withDatabase(
        async ({ knex }) => {
          const applied = await migrateToLatest(knex);
          context.print(applied.length ? `applied: ${applied.join(', ')}` : 'migrations are current');
        },
        { migrate: false },
      );
    });
};
