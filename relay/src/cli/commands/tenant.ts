import { Tenant } from '../../db/models/tenant.js';
import { createTenant } from '../../tenants/create-tenant.js';
import { setStripeAccount } from '../../tenants/set-stripe-account.js';
import { collectOrigin, stripeAccountOrNone, tenantUuid } from '../arguments.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerTenantCommands: RegisterCommands = (program, context) => {
  const tenant = program.command('tenant').description('Manage tenants (merchants)');
  tenant
    .command('create')
    .description('Create a tenant and print its UUID')
    .requiredOption('--name <name>', 'the merchant name')
    .requiredOption(
      '--origin <origin...>',
      'origins allowed to take payments: https://host[:port], or http://localhost[:port] for development',
      collectOrigin,
    )
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
    .command('set-stripe-account')
    .description(
      "Charge a tenant's cards on a connected Stripe account (acct_...), or on the platform with 'none'; " +
        'after an account that disconnected is connected again, this turns its card payments back on',
    )
    .argument('<tenant>', 'the tenant UUID', tenantUuid)
    .argument('<account>', "the connected account id, or 'none'", stripeAccountOrNone)
    .action(async (tenantId: string, accountId: string | null) => {
      const { previous } = await context.withDatabase(({ knex }) =>
        setStripeAccount(knex, tenantId, accountId),
      );
      context.print(`${tenantId}: Stripe account ${previous ?? 'platform'} → ${accountId ?? 'platform'}`);
    });
  tenant
    .command('list')
    .description('List tenants')
    .option('--json', 'print a JSON array instead of text', false)
    .action(async (options: { json: boolean }) => {
      const tenants = await context.withDatabase(({ knex }) => Tenant.query(knex).orderBy('created_at'));
      if (options.json) {
        return context.printJson(
          tenants.map((row) => ({
            id: row.id,
            name: row.name,
            allowedOrigins: row.allowedOrigins,
            stripeAccountId: row.stripeAccountId,
            createdAt: row.createdAt,
          })),
        );
      }
      for (const row of tenants) {
        context.print(
          `${row.id}  ${row.name}  ${row.allowedOrigins.join(',')}  ${row.stripeAccountId ?? '-'}`,
        );
      }
    });
};
