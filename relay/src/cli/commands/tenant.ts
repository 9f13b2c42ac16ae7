import { Tenant } from '../../db/models/tenant.js';
import { createTenant } from '../../tenants/create-tenant.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerTenantCommands: RegisterCommands = (program, context) => {
  const tenant = program.command('tenant').description('Manage tenants (merchants)');
  tenant
    .command('create')
    .description('Create a tenant and print its UUID')
    .requiredOption('--name <name>', 'the merchant name')
    .requiredOption('--origin <origin...>', 'origins allowed to take payments, e.g. https://www.example.com')
    .option('--stripe-account <acct>', 'a Stripe connected account id (acct_...) to charge on')
    .action(async (options: { name: string; origin: string[]; stripeAccount?: string }) => {
      const created = await context.withDatabase(({ knex }) =>
        createTenant(knex, {
          name: options.name,
          origins: options.origin,
          stripeAccountId: options.stripeAccount ?? null,
        }),
      );
      context.print(created.id);
    });
  tenant
    .command('list')
    .description('List tenants')
    .action(async () => {
      const tenants = await context.withDatabase(({ knex }) => Tenant.query(knex).orderBy('created_at'));
      for (const row of tenants) {
        context.print(
          `${row.id}  ${row.name}  ${row.allowedOrigins.join(',')}  ${row.stripeAccountId ?? '-'}`,
        );
      }
    });
};
